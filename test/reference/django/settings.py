# Settings of the miniSASS reference app: kartoza/miniSASS's django_project/minisass/settings.py as of
# the seed document (commit 9ba4bced, 2024-01-15), reduced to what its authentication API uses.
import os
from datetime import timedelta

DATA_DIR = os.environ['REFERENCE_DATA_DIR']

SECRET_KEY = os.environ['REFERENCE_SECRET_KEY']
# DEBUG off as in production: errors are Django's plain pages, and APPEND_SLASH redirects.
DEBUG = False
ALLOWED_HOSTS = ['127.0.0.1', 'localhost']
SITE_ID = 1
USE_TZ = True

INSTALLED_APPS = [
    'django.contrib.auth',
    'django.contrib.contenttypes',
    'django.contrib.sessions',
    'django.contrib.sites',
    'django.contrib.messages',
    'rest_framework',
    'rest_framework_simplejwt',
    'minisass_authentication',
]

# miniSASS's middleware, without the static-file and GIS parts it serves beside the API.
MIDDLEWARE = [
    'django.middleware.security.SecurityMiddleware',
    'django.contrib.sessions.middleware.SessionMiddleware',
    'django.middleware.csrf.CsrfViewMiddleware',
    'django.contrib.auth.middleware.AuthenticationMiddleware',
    'django.contrib.messages.middleware.MessageMiddleware',
    'django.middleware.common.CommonMiddleware',
]

ROOT_URLCONF = 'urls'

TEMPLATES = [
    {
        'BACKEND': 'django.template.backends.django.DjangoTemplates',
        'APP_DIRS': True,
        'OPTIONS': {'context_processors': ['django.template.context_processors.request']},
    }
]

# sqlite in the run's temporary directory instead of miniSASS's PostGIS: nothing the API answers
# depends on the database engine.
DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': os.path.join(DATA_DIR, 'db.sqlite3')}}
DEFAULT_AUTO_FIELD = 'django.db.models.AutoField'

# Verbatim from miniSASS.
REST_FRAMEWORK = {
    'DEFAULT_AUTHENTICATION_CLASSES': (
        'rest_framework_simplejwt.authentication.JWTAuthentication',
    ),
}

# Verbatim from miniSASS (the sliding-token keys are unused: it issues pair tokens). Everything
# else is simplejwt's default: no rotation, no blacklist app, refresh tokens live one day.
SIMPLE_JWT = {
    'ACCESS_TOKEN_LIFETIME': timedelta(minutes=60),
    'SLIDING_TOKEN_REFRESH_LIFETIME': timedelta(days=1),
    'SLIDING_TOKEN_LIFETIME': timedelta(days=30),
}

AUTHENTICATION_BACKENDS = [
    'django.contrib.auth.backends.ModelBackend',
    'minisass_authentication.backends.EmailBackend',
]

# A fast hasher: the algorithm cannot be seen over HTTP, and the tests register and log in often.
PASSWORD_HASHERS = ['django.contrib.auth.hashers.MD5PasswordHasher']

# Mail (activation and reset links) is written to files, which the tests read to follow the links.
EMAIL_BACKEND = 'django.core.mail.backends.filebased.EmailBackend'
EMAIL_FILE_PATH = os.path.join(DATA_DIR, 'mail')
DEFAULT_FROM_EMAIL = 'noreply@minisass.test'
CONTACT_US_RECEPIENT_EMAIL = 'info@minisass.test'

LOGGING = {'version': 1, 'disable_existing_loggers': True, 'root': {'level': 'CRITICAL', 'handlers': []}}
