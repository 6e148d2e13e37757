# miniSASS's backends.py (commit 9ba4bced), verbatim: logs in by email. Unlike ModelBackend it does
# not check is_active, so /login/ lets in accounts that /token/ refuses until they are activated.
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth import get_user_model

class EmailBackend(ModelBackend):
    def authenticate(self, request, email=None, password=None, **kwargs):
        UserModel = get_user_model()
        try:
            user = UserModel.objects.get(email=email)
        except UserModel.DoesNotExist:
            return None

        if user.check_password(password):
            return user
        return None
