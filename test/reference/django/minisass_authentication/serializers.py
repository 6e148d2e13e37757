# miniSASS's serializers.py (commit 9ba4bced): the two its authentication views use, verbatim.
import re

from django.contrib.auth.models import User
from rest_framework import serializers

from minisass_authentication.models import PasswordHistory


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ('id','username', 'email', 'password', 'first_name', 'last_name')
        extra_kwargs = {'password': {'write_only': True}}

    def create(self, validated_data):
        user_id = validated_data.pop('id', None)

        if user_id:
            existing_user = User.objects.filter(id=user_id).first()

            if existing_user:
                return existing_user

        # If user doesn't exist or no id provided, create a new user
        user = User.objects.create_user(id=user_id, **validated_data)
        return user


class UpdatePasswordSerializer(serializers.Serializer):
    old_password = serializers.CharField(required=True)
    password = serializers.CharField(required=True)
    confirm_password = serializers.CharField(required=True)

    def validate_password(self, value):
        requirements = {
            'uppercase': re.compile(r'^(?=.*[A-Z])'),
            'lowercase': re.compile(r'^(?=.*[a-z])'),
            'digit': re.compile(r'^(?=.*\d)'),
            'specialCharacter': re.compile(r'^(?=.*[@$!%*?&])'),
            'length': re.compile(r'^.{6,}$'),
        }
        remaining_requirements = {
            'uppercase': not requirements['uppercase'].search(value),
            'lowercase': not requirements['lowercase'].search(value),
            'digit': not requirements['digit'].search(value),
            'specialCharacter': not requirements['specialCharacter'].search(value),
            'length': not requirements['length'].search(value),
        }
        if any(remaining_requirements.values()):
            missing_criteria = ', '.join([key for key, val in remaining_requirements.items() if val])
            raise serializers.ValidationError(f'Missing password criteria: {missing_criteria}')

        do_history_check = self.context.get('do_history_check', True)
        if do_history_check:
            is_password_used = PasswordHistory.is_password_used(
                self.context['user'], value
            )
            if is_password_used:
                raise serializers.ValidationError(
                    'This password has been used before. Please choose a new and unique password.'
                )
        return value
