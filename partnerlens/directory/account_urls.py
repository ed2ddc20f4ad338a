"""Account addresses under /accounts/ (no namespace: Django's auth views reverse these names).

Signing in is here too, with the throttle in front of it (settings AXES_*), and the second
step of signing in for someone with two-factor sign-in.
"""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from partnerlens.directory import account_views
from partnerlens.directory.forms import (
    ChangePasswordForm,
    NewPasswordForm,
    ResetRequestForm,
    SignInForm,
)

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=SignInForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", account_views.account, name="account"),
    path("two-factor/", account_views.two_factor_verify, name="two_factor_verify"),
    path("two-factor/set-up/", account_views.two_factor_setup, name="two_factor_setup"),
    path(
        "two-factor/backup-codes/",
        account_views.two_factor_backup_codes,
        name="two_factor_backup_codes",
    ),
    path("two-factor/remove/", account_views.two_factor_remove, name="two_factor_remove"),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(
            form_class=ChangePasswordForm, success_url=reverse_lazy("password_change_done")
        ),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(form_class=ResetRequestForm),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        account_views.PasswordResetConfirmView.as_view(form_class=NewPasswordForm),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
