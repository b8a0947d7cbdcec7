"""The people of the demo city: one account for every role, all with the same known password,
and the table of accounts the command prints."""

from django.contrib.auth.hashers import make_password
from django.db.models import Prefetch

from dayi.accounts.models import Organisation, Role, RoleGrant, User

# Printed at every start so that a visitor can try each role; never used outside the demo.
DEMO_PASSWORD = "Dayi@2026"  # noqa: S105
EXPERT_UNITS = ["hyit", "hytc", "njuha", "hazj", "hasyj"]

_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严"
)
_GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉建国文斌宇浩凯健俊帆晨阳欣怡子涵梓轩雨婷博文思远嘉豪佳琪"
)


def person_name(rng) -> str:
    given = rng.choice(_GIVEN) + (rng.choice(_GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(_SURNAMES) + given


class PeopleBuilder:
    """Collects users and grants in memory and writes them with two bulk inserts.

    One password hash serves every account: hashing is deliberately slow, and thousands of
    benchmark units each get an administrator.
    """

    def __init__(self, rng):
        self.rng = rng
        self.password = make_password(DEMO_PASSWORD)
        self.users: list[User] = []
        self.grants: list[tuple[int, str, Organisation | None, object]] = []

    def add(self, username, *, organisation=None, role=None, region=None, email_domain="demo.dayi.local", **extra):
        index = len(self.users)
        user = User(
            username=username,
            password=self.password,
            display_name=extra.pop("display_name", None) or person_name(self.rng),
            organisation=organisation,
            email=f"{username}@{email_domain}",
            phone=f"138{index + 10_000_000:08d}",
            **extra,
        )
        self.users.append(user)
        if role:
            self.grants.append((index, role, organisation, region))
        return user

    def save(self):
        User.objects.bulk_create(self.users, batch_size=2000)
        RoleGrant.objects.bulk_create(
            [
                RoleGrant(user=self.users[index], role=role, organisation=organisation, region=region)
                for index, role, organisation, region in self.grants
            ],
            batch_size=2000,
        )


_ROLE_ORDER = [
    "superuser",
    Role.OPERATOR,
    Role.AUTHORITY,
    Role.UNIT_ADMIN,
    Role.INSTRUMENT_MANAGER,
    Role.EXPERT,
    "user",
]
ROLE_LABELS = {
    "superuser": "超级管理员 superuser",
    Role.OPERATOR: "平台运营方 operator",
    Role.AUTHORITY: "主管部门 authority",
    Role.UNIT_ADMIN: "单位管理员 unit admin",
    Role.INSTRUMENT_MANAGER: "仪器管理员 instrument manager",
    Role.EXPERT: "专家 expert",
    "user": "用户 user",
}


def demo_accounts(per_role: int = 8) -> list[dict]:
    """Rows of (role, username, name, scope) for the demo accounts, at most `per_role` of
    each role plus a row saying how many more there are."""
    users = (
        User.objects.select_related("organisation")
        .prefetch_related(Prefetch("role_grants", queryset=RoleGrant.objects.select_related("organisation", "region")))
        .order_by("id")
    )
    rows = {role: [] for role in _ROLE_ORDER}
    for user in users.iterator(chunk_size=2000):
        grants = list(user.role_grants.all())
        if user.is_superuser:
            rows["superuser"].append((user, "全部 all"))
        for grant in grants:
            rows[grant.role].append((user, str(grant.organisation or grant.region or "全市 city-wide")))
        if not grants and not user.is_superuser:
            rows["user"].append((user, str(user.organisation or "")))
    table = []
    for role in _ROLE_ORDER:
        for user, scope in rows[role][:per_role]:
            table.append({"role": ROLE_LABELS[role], "username": user.username, "name": str(user), "scope": scope})
        hidden = len(rows[role]) - per_role
        if hidden > 0:
            table.append({"role": ROLE_LABELS[role], "username": "…", "name": f"+{hidden}", "scope": ""})
    return table
