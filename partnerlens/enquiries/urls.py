from django.urls import path

from partnerlens.enquiries import invitee_views, respondent_views, views

app_name = "enquiries"
urlpatterns = [
    # Respondents (respondent_views.py): the token in the address is the only identification.
    path("r/<str:token>/", respondent_views.start, name="start"),
    path("r/<str:token>/theme/<int:number>/", respondent_views.theme, name="theme"),
    path("r/<str:token>/check/", respondent_views.review, name="review"),
    path("r/<str:token>/submit/", respondent_views.submit, name="submit"),
    path("r/<str:token>/link/", respondent_views.resume_link, name="resume_link"),
    path("submitted/", respondent_views.submitted, name="submitted"),
    path("p/<str:token>/", respondent_views.open_link_start, name="open_link"),
    # Leads and members.
    path("partnerships/<int:partnership_pk>/", views.cycle_list, name="cycle_list"),
    path("partnerships/<int:partnership_pk>/new/", views.cycle_create, name="cycle_create"),
    path("cycles/<int:pk>/", views.cycle_detail, name="cycle"),
    path("cycles/<int:pk>/invite/", views.invite, name="invite"),
    path("cycles/<int:pk>/reflection/", views.reflection, name="reflection"),
    path("cycles/<int:pk>/dates/", views.cycle_dates, name="cycle_dates"),
    path("cycles/<int:pk>/texts/", views.cycle_texts, name="cycle_texts"),
    # Invitees (invitee_views.py); before the catch-all action pattern.
    path("cycles/<int:pk>/invitees/", invitee_views.invitee_list, name="invitees"),
    path(
        "cycles/<int:pk>/invitees/resend/",
        invitee_views.invitee_resend,
        name="invitees_resend_failed",
    ),
    path(
        "cycles/<int:pk>/invitees/<int:invitee_pk>/correct/",
        invitee_views.invitee_correct,
        name="invitee_correct",
    ),
    path(
        "cycles/<int:pk>/invitees/<int:invitee_pk>/remove/",
        invitee_views.invitee_remove,
        name="invitee_remove",
    ),
    path(
        "cycles/<int:pk>/invitees/<int:invitee_pk>/resend/",
        invitee_views.invitee_resend,
        name="invitee_resend",
    ),
    path("cycles/<int:pk>/<slug:action>/", views.cycle_action, name="cycle_action"),
    path("reflections/mine.<str:fmt>", views.reflections_export, name="reflections_export"),
]
