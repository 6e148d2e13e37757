# Root URLs of the miniSASS reference app: miniSASS mounts its authentication app at /authentication/,
# and its activation and reset links redirect to the frontend's home page ('home').
from django.http import HttpResponse
from django.urls import include, path


def home(request):
    return HttpResponse('miniSASS reference home', content_type='text/plain')


urlpatterns = [
    path('', home, name='home'),
    path('authentication/', include('minisass_authentication.urls')),
]
