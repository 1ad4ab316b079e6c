"""Start a real OpenLDAP (Debian's slapd, mdb backend) in a folder on a free port, with the
eduPerson/supann attributes the sync reads (a minimal schema of test OIDs)."""
from __future__ import annotations

import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from tests.servers.cas import cannot_start, free_port

SUFFIX = "dc=univ,dc=fr"
ROOT_DN = f"cn=admin,{SUFFIX}"
ROOT_PW = "secret-ldap"

SCHEMA = """
attributetype ( 1.3.6.1.4.1.99999.1.1 NAME 'eduPersonAffiliation'
  EQUALITY caseIgnoreMatch SUBSTR caseIgnoreSubstringsMatch
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 )
attributetype ( 1.3.6.1.4.1.99999.1.2 NAME 'supannEtuEtape'
  EQUALITY caseExactMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 )
attributetype ( 1.3.6.1.4.1.99999.1.3 NAME 'supannEtuGroupe'
  EQUALITY caseExactMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 )
objectclass ( 1.3.6.1.4.1.99999.2.1 NAME 'testUnivPerson' AUXILIARY
  MAY ( eduPersonAffiliation $ supannEtuEtape $ supannEtuGroupe ) )
"""


@dataclass
class LdapServer:
    url: str
    root_dn: str = ROOT_DN
    root_pw: str = ROOT_PW
    base_dn: str = f"ou=people,{SUFFIX}"


def _slapd() -> str | None:
    return shutil.which("slapd") or next(
        (p for p in ("/usr/sbin/slapd",) if Path(p).exists()), None)


def start_slapd(folder: Path):
    slapd = _slapd()
    if slapd is None:
        cannot_start("slapd is not installed (apt-get install slapd ldap-utils)")
    (folder / "data").mkdir()
    (folder / "univ.schema").write_text(SCHEMA)
    conf = folder / "slapd.conf"
    conf.write_text(f"""
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include {folder / 'univ.schema'}
pidfile {folder / 'slapd.pid'}
modulepath /usr/lib/ldap
moduleload back_mdb
database mdb
maxsize 10485760
suffix "{SUFFIX}"
rootdn "{ROOT_DN}"
rootpw {ROOT_PW}
directory {folder / 'data'}
""")
    port = free_port()
    url = f"ldap://127.0.0.1:{port}"
    proc = subprocess.Popen([slapd, "-f", str(conf), "-h", url + "/", "-d", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        import ldap3

        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                cannot_start(f"slapd did not start: {proc.stdout.read()[-2000:]}")
            try:
                ldap3.Connection(ldap3.Server(url, connect_timeout=1), ROOT_DN, ROOT_PW,
                                 auto_bind=True).unbind()
                break
            except ldap3.core.exceptions.LDAPException:
                if time.monotonic() > deadline:
                    cannot_start("slapd did not answer within 30 s")
                time.sleep(0.2)
        yield LdapServer(url=url)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
