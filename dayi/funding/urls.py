from django.urls import path

from . import rule_views, views

app_name = "funding"

urlpatterns = [
    path("", views.home, name="home"),
    path("vouchers/apply/", views.apply_vouchers, name="apply_vouchers"),
    path("pay/<int:order_id>/", views.pay, name="pay"),
    path("subsidies/apply/", views.apply_subsidy, name="apply_subsidy"),
    path("redeem/", views.redeem, name="redeem"),
    path("insurance/", views.register_policy, name="register_policy"),
    path("statement.<str:fmt>", views.statement, name="statement"),
    path("units/<int:unit_id>/statement.<str:fmt>", views.unit_statement, name="unit_statement"),
    path("review/summary.<str:fmt>", views.summary, name="summary"),
    path("review/", views.review, name="review"),
    path("review/vouchers/<int:pk>/", views.decide_voucher, name="decide_voucher"),
    path("review/batches/<int:pk>/", views.decide_batch, name="decide_batch"),
    path("review/subsidies/<int:pk>/", views.decide_subsidy, name="decide_subsidy"),
    path("review/grades/", views.set_grade, name="set_grade"),
    path("review/policies/<int:pk>/compute/", views.compute_policy, name="compute_policy"),
    path("rewards/compute/", views.compute_rewards, name="compute_rewards"),
    path("rewards/<int:pk>/", views.reward_run, name="reward_run"),
    path("rules/", rule_views.rule_list, name="rules"),
    path("rules/new/", rule_views.rule_edit, name="rule_new"),
    path("rules/<int:pk>/", rule_views.rule_detail, name="rule_detail"),
    path("rules/<int:pk>/edit/", rule_views.rule_edit, name="rule_edit"),
    path("rules/<int:pk>/action/", rule_views.rule_action, name="rule_action"),
]
