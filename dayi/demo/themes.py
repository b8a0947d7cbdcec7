"""The eleven sharing themes (专题) of the city's implementation opinion, by the year each is due [000 §一]."""

from dayi.catalog.models import Theme

# key used by the instrument templates → (slug, name, English name, year)
THEMES = {
    "it": ("next-generation-it", "新一代信息技术", "New-generation information technology", 2025),
    "ne": ("new-energy", "新能源", "New energy", 2025),
    "nev": ("nev-and-parts", "新能源汽车及零部件", "New-energy vehicles and parts", 2025),
    "chem": ("chemical-new-materials", "化工新材料", "Chemical new materials", 2026),
    "fib": ("fibre-new-materials", "纤维新材料", "Fibre new materials", 2026),
    "met": ("metal-inorganic-materials", "金属及无机非金属材料", "Metal and inorganic non-metallic materials", 2026),
    "bio": ("biomedicine-health", "生物医药与健康", "Biomedicine and health", 2026),
    "smart": ("intelligent-manufacturing", "智能制造装备", "Intelligent manufacturing equipment", 2026),
    "soft": ("software-information-services", "软件和信息服务", "Software and information services", 2027),
    "ai": ("artificial-intelligence", "人工智能", "Artificial intelligence", 2027),
    "green": ("green-environment", "绿色环保", "Green and environmental protection", 2027),
}


def ensure_themes() -> dict[str, Theme]:
    """The themes by template key, created if missing and left alone if an operator edited them."""
    themes = {}
    for order, (key, (slug, name, name_en, year)) in enumerate(THEMES.items()):
        themes[key], _ = Theme.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "name_en": name_en,
                "industry": name,
                "year": year,
                "order": order,
                "description": f"{year}年底前重点打造的{name}科研仪器设备开放共享专题。",
            },
        )
    return themes
