"""Account addresses under /accounts/ (no namespace: Django's auth views reverse these names).

Signing in is here too, with the throttle in front of it (settings AXES_*), and the second
step of signing in for someone with two-factor sign-in. The password pages are Django's own
views, which find their templates (``registration/``) and each other by these names.
"""

from __future__ import annotations

from django.contrib.auth import views as auth
from django.urls import path

from partnerlens.directory import account_views as views
from partnerlens.directory import forms

sign_in = auth.LoginView.as_view(
    authentication_form=forms.SignInForm, redirect_authenticated_user=True
)
change_password = auth.PasswordChangeView.as_view(form_class=forms.ChangePasswordForm)
ask_for_reset = auth.PasswordResetView.as_view(form_class=forms.ResetRequestForm)
choose_password = views.PasswordResetConfirmView.as_view(form_class=forms.NewPasswordForm)

urlpatterns = [
    path("login/", sign_in, name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("", views.account, name="account"),
    path("two-factor/", views.two_factor_verify, name="two_factor_verify"),
    path("two-factor/set-up/", views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/backup-codes/", views.two_factor_backup_codes, name="two_factor_backup_codes"),
    path("two-factor/remove/", views.two_factor_remove, name="two_factor_remove"),
    path("password/change/", change_password, name="password_change"),
    path(
        "password/change/done/", auth.PasswordChangeDoneView.as_view(), name="password_change_done"
    ),
    path("password/reset/", ask_for_reset, name="password_reset"),
    path("password/reset/sent/", auth.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", choose_password, name="password_reset_confirm"),
    path(
        "password/reset/done/",
        auth.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
