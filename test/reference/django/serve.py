# Starts the miniSASS reference app for the differential tests (test/support/django-reference.ts):
# migrates an sqlite database in REFERENCE_DATA_DIR, creates the users REFERENCE_SEED_USERS lists
# (JSON, through the ORM, as a running miniSASS would hold them: the lazy-migration tests), serves it with the standard library's WSGI
# server on 127.0.0.1 and a port the system picks, prints "READY <port>", and serves until killed.
# Run with Debian's /usr/bin/python3 (python3-django, python3-djangorestframework,
# python3-djangorestframework-simplejwt); it exits with status 3 and says which is missing otherwise.
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
os.environ['DJANGO_SETTINGS_MODULE'] = 'settings'

missing = []
for module, package in (
    ('django', 'python3-django'),
    ('rest_framework', 'python3-djangorestframework'),
    ('rest_framework_simplejwt', 'python3-djangorestframework-simplejwt'),
):
    try:
        __import__(module)
    except ImportError:
        missing.append(package)
if missing:
    print('MISSING ' + ' '.join(missing), flush=True)
    sys.exit(3)

import django  # noqa: E402

django.setup()

from socketserver import ThreadingMixIn  # noqa: E402
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402

os.makedirs(os.path.join(os.environ['REFERENCE_DATA_DIR'], 'mail'), exist_ok=True)
call_command('migrate', run_syncdb=True, verbosity=0, interactive=False)

# Users made as Django makes them (create_user: the configured hasher, the profile signal), not
# through the views, so a test can have staff and inactive accounts without following mails.
seeded = {}
for entry in json.loads(os.environ.get('REFERENCE_SEED_USERS') or '[]'):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(
        username=entry['username'],
        email=entry['email'],
        password=entry['password'],
        first_name=entry.get('first_name', ''),
        last_name=entry.get('last_name', ''),
        is_staff=entry.get('is_staff', False),
        is_active=entry.get('is_active', True),
    )
    seeded[user.username] = user.pk
print('SEEDED %s' % json.dumps(seeded), flush=True)


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # the test report would drown in request lines
        pass


server = make_server('127.0.0.1', 0, get_wsgi_application(), server_class=ThreadingWSGIServer, handler_class=QuietHandler)
print('READY %d' % server.server_port, flush=True)
server.serve_forever()
