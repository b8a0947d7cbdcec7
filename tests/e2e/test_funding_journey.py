"""The money pages not walked by the voucher journey, in a real browser at desktop and phone
width: an enterprise applies for a testing subsidy with a platform order and two invoices, the
operator approves it; the operator computes a year's owner-unit rewards and the authority over
the province approves the list; the operator drafts a rule set, is told what is wrong, fixes
it and saves it."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from dayi.accounts.models import Organisation, Region, Role
from dayi.booking.models import Order
from dayi.funding.models import RewardRun, RuleSet, SubsidyApplication
from tests.browser import log_in, no_horizontal_scroll, visit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
SCAN = {"name": "fapiao.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}


def submit(page, locator):
    with page.expect_navigation():
        page.locator(locator).click()
    assert no_horizontal_scroll(page), page.url


def done_order(instrument, user, fee):
    """An order served and paid this year (what the booking journey test walks in the browser)."""
    return Order.objects.create(
        instrument=instrument,
        user=user,
        organisation_id=user.organisation_id,
        mode=Order.Mode.SAMPLE_TESTING,
        sample_count=1,
        status=Order.Status.SETTLED,
        purpose="材料检测",
        final_fee=Decimal(fee),
        is_external=True,
        ends_at=timezone.now(),
        service_purpose=Order.ServicePurpose.ENTERPRISE_RND,
    )


def test_subsidy_applied_and_approved(page, live_server, make_user, make_instrument, operator, qingjiangpu):
    base = live_server.url
    company = Organisation.objects.create(
        name="淮安智造科技有限公司", category=Organisation.Category.ENTERPRISE, region=qingjiangpu, is_tech_sme=True
    )
    engineer = make_user("zhizao", organisation=company)
    order = done_order(make_instrument(), engineer, "60000")
    scheme = RuleSet.objects.get(kind="subsidy", region__code="320800")

    log_in(page, base, engineer.username)
    visit(page, base + reverse("funding:home"))
    submit(page, f"a[href='{reverse('funding:apply_subsidy')}']")
    page.select_option("#id_rule_set", str(scheme.pk))
    page.fill("#id_year", str(timezone.localdate().year))
    page.check(f"input[name=orders][value='{order.pk}']")
    page.fill("#id_invoices-0-invoice_number", "32000001")
    page.fill("#id_invoices-0-provider", "南京检测中心")
    page.fill("#id_invoices-0-amount", "30000")
    page.set_input_files("#id_invoices-0-invoice_file", files=[SCAN])
    page.fill("#id_invoices-1-invoice_number", "32000002")
    page.fill("#id_invoices-1-amount", "60000")
    submit(page, "main form button.btn-primary")
    assert "55000.00" in page.locator("main").inner_text()
    application = SubsidyApplication.objects.get()
    assert application.items.count() == 3 and application.amount == Decimal("55000.00")

    log_in(page, base, operator.username)
    visit(page, base + reverse("funding:review"))
    assert "淮安智造科技有限公司" in page.locator("main").inner_text()
    submit(page, f"form[action='{reverse('funding:decide_subsidy', args=[application.pk])}'] button[value=approve]")
    application.refresh_from_db()
    assert application.status == SubsidyApplication.Status.APPROVED


def test_rewards_computed_and_approved(page, live_server, make_unit, make_user, make_instrument, operator):
    base = live_server.url
    zhejiang = Region.objects.get(code="330000")
    hangzhou = Region.objects.filter(path__startswith=zhejiang.path, level=2).first()
    lab = make_unit("浙江测试大学", region=hangzhou)
    admin = make_user("zj-admin", role=Role.UNIT_ADMIN, organisation=lab)
    customer = make_user("zj-customer", organisation=make_unit("杭州客户研究院", region=hangzhou))
    instrument = make_instrument(owner=lab, actor=admin, region=hangzhou, name="透射电子显微镜")
    done_order(instrument, customer, "150000")
    authority = make_user("zj-authority", role=Role.AUTHORITY, region=zhejiang)
    rule_set = RuleSet.objects.get(kind="reward", region__code="330000")

    log_in(page, base, operator.username)
    visit(page, base + reverse("funding:review"))
    compute = f"form[action='{reverse('funding:compute_rewards')}']"
    page.select_option(f"{compute} select[name=rule_set]", str(rule_set.pk))
    page.fill(f"{compute} input[name=year]", str(timezone.localdate().year))
    submit(page, f"{compute} button")
    run = RewardRun.objects.get()
    assert run.total == Decimal("15000.00")

    log_in(page, base, authority.username)
    visit(page, base + reverse("funding:review"))
    submit(page, f"a[href='{reverse('funding:reward_run', args=[run.pk])}']")
    assert "透射电子显微镜" in page.locator("main").inner_text()
    submit(page, "main form button.btn-primary")
    run.refresh_from_db()
    assert run.status == RewardRun.Status.APPROVED and run.approved_by == authority
    visit(page, base + reverse("funding:reward_run", args=[run.pk]))
    assert page.locator("a[href='?format=pdf']").count() == 1


def test_rule_set_drafted_in_the_editor(page, live_server, operator):
    base = live_server.url
    huaian = Region.objects.get(code="320800")
    log_in(page, base, operator.username)
    visit(page, base + reverse("funding:rules"))
    visit(page, base + reverse("funding:rule_new"))
    page.select_option("#id_region", str(huaian.pk))
    page.select_option("#id_kind", "subsidy")
    page.fill("#id_name", "淮安市企业检测补贴（2030 草案）")
    page.fill("#id_valid_from", "2030-01-01")
    page.fill("#id_source", "淮科复字第 8 号 三、2")
    page.fill("#id_rules-0-name", "企业用户补贴")
    page.select_option("#id_rules-0-pays", "subsidy")
    page.check("input[name='rules-0-categories'][value=enterprise]")
    page.check("input[name='rules-0-excluded_purposes'][value=statutory]")
    page.fill("#id_rules-0-bands-0-lower", "0")
    page.fill("#id_rules-0-bands-0-upper", "100000")
    page.fill("#id_rules-0-bands-0-rate", "40")
    page.fill("#id_rules-0-bands-1-lower", "90000")
    page.fill("#id_rules-0-bands-1-rate", "30")
    submit(page, "[data-testid=rule-set-form] button.btn-primary")
    assert page.locator(".alert-danger").count() == 1
    assert page.input_value("#id_rules-0-bands-1-lower") == "90000"
    assert page.input_value("#id_name") == "淮安市企业检测补贴（2030 草案）"
    page.fill("#id_rules-0-bands-1-lower", "100000")
    submit(page, "[data-testid=rule-set-form] button.btn-primary")
    draft = RuleSet.objects.get(name="淮安市企业检测补贴（2030 草案）")
    assert page.url.endswith(reverse("funding:rule_detail", args=[draft.pk]))
    rule = draft.rules.get()
    assert rule.categories == ["enterprise"] and rule.bands.count() == 2
    assert "企业用户补贴" in page.locator("main").inner_text()
