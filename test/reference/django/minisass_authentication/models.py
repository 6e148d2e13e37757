# miniSASS's models (commit 9ba4bced) that its authentication views touch: Lookup, UserProfile (its
# certificate and expert fields left out) and PasswordHistory, with the post_save signal that gives
# every new user a profile.
from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.db import models
from django.db.models.signals import post_save
from django.dispatch import receiver


class Lookup(models.Model):
    id = models.AutoField(primary_key=True)
    container = models.ForeignKey('self', blank=True, null=True, on_delete=models.SET_NULL)
    rank = models.PositiveIntegerField(default=0)
    description = models.CharField(max_length=50, blank=False)
    active = models.BooleanField(default=True)

    def __str__(self):
        return self.description


class UserProfile(models.Model):
    id = models.AutoField(primary_key=True)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, blank=False)
    organisation_type = models.ForeignKey(Lookup, blank=True, null=True, on_delete=models.SET_NULL)
    organisation_name = models.CharField(max_length=255, blank=True)
    country = models.CharField(max_length=255, blank=True, null=True)
    is_expert = models.BooleanField(default=False)
    is_password_enforced = models.BooleanField(default=True)


class PasswordHistory(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, blank=False)
    hashed_password = models.TextField()
    timestamp = models.DateTimeField(auto_now_add=True)

    @classmethod
    def is_password_used(cls, user, plain_password):
        for password_history in PasswordHistory.objects.filter(user=user):
            if check_password(plain_password, password_history.hashed_password):
                return True
        return False


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def post_user_save(sender, instance, created, **kwargs):
    if created:
        UserProfile.objects.get_or_create(user=instance, defaults={'is_password_enforced': True})
    PasswordHistory.objects.get_or_create(user=instance, hashed_password=instance.password)
