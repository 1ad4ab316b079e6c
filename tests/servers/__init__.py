"""Real servers the integration tests start: a CAS (django-cas-server) and an OpenLDAP."""
