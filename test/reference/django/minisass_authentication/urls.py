# miniSASS's django_project/minisass_authentication/urls.py (commit 9ba4bced), the authentication
# routes only: the profile, certificate and contact routes are left out.
from django.urls import path
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView

from minisass_authentication.views import (
    activate_account,
    check_authentication_status,
    register,
    request_password_reset,
    user_login,
    user_logout,
)

urlpatterns = [
    path('api/request-reset/', request_password_reset, name='request_password_reset'),
    path('api/token/', TokenObtainPairView.as_view(), name='token_obtain_pair'),
    path('api/token/refresh/', TokenRefreshView.as_view(), name='token_refresh'),
    path('api/login/', user_login, name='user_login'),
    path('api/register/', register, name='register'),
    path('api/logout/', user_logout, name='user-logout'),
    path('api/check-auth-status/', check_authentication_status, name='check-auth-status'),
    path('api/activate/<str:uidb64>/<str:token>/', activate_account, name='activate-account'),
]
