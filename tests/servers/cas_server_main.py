"""A real CAS server (django-cas-server) for the tests, run as its own process:

    python cas_server_main.py FOLDER PORT USERS_JSON SLO_CALLBACK

USERS_JSON maps username -> {"password": ..., "attributes": {...}}. The service pattern
accepts http://localhost/ and releases every attribute; single logout requests go to
SLO_CALLBACK (a catcher the test runs, whose body the test hands to the intranet).
"""
import json
import os
import sys
from wsgiref.simple_server import WSGIRequestHandler, make_server


def open_text(path):
    with open(path) as fh:
        return fh.read()


folder, port, users_json, slo_callback = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
sys.path.insert(0, folder)
with open(os.path.join(folder, "casauth.py"), "w") as fh:
    fh.write(f'''
from cas_server.auth import AuthUser
USERS = {json.loads(open_text(users_json))!r}

class DictAuthUser(AuthUser):
    def test_password(self, password):
        return self.username in USERS and USERS[self.username]["password"] == password

    def attributs(self):
        return USERS.get(self.username, {{}}).get("attributes", {{}})
''')
with open(os.path.join(folder, "casurls.py"), "w") as fh:
    fh.write('''
from django.urls import include, path
urlpatterns = [path("cas/", include("cas_server.urls", namespace="cas_server"))]
''')
with open(os.path.join(folder, "cassettings.py"), "w") as fh:
    fh.write(f'''
SECRET_KEY = "tests-only"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes",
                  "django.contrib.sessions", "django.contrib.messages", "cas_server"]
MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware",
              "django.middleware.common.CommonMiddleware",
              "django.middleware.csrf.CsrfViewMiddleware",
              "django.contrib.auth.middleware.AuthenticationMiddleware",
              "django.contrib.messages.middleware.MessageMiddleware"]
TEMPLATES = [{{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True,
              "OPTIONS": {{"context_processors": [
                  "django.template.context_processors.request",
                  "django.contrib.auth.context_processors.auth",
                  "django.contrib.messages.context_processors.messages"]}}}}]
ROOT_URLCONF = "casurls"
DATABASES = {{"default": {{"ENGINE": "django.db.backends.sqlite3",
                          "NAME": {os.path.join(folder, "cas.sqlite3")!r}}}}}
USE_TZ = True
STATIC_URL = "/static/"
CAS_AUTH_CLASS = "casauth.DictAuthUser"
CAS_SLO_TIMEOUT = 5
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
''')
os.environ["DJANGO_SETTINGS_MODULE"] = "cassettings"

import django

django.setup()
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application

call_command("migrate", verbosity=0)
from cas_server.models import ReplaceAttributName, ServicePattern

pattern = ServicePattern.objects.create(pos=0, name="intranet", pattern=r"^http://localhost/.*",
                                        single_log_out=True,
                                        single_log_out_callback=slo_callback)
ReplaceAttributName.objects.create(name="*", service_pattern=pattern)


class Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


server = make_server("127.0.0.1", port, get_wsgi_application(), handler_class=Quiet)
print("READY", flush=True)
server.serve_forever()
