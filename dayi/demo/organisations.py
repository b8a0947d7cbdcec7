"""The organisations of the demo city: Huai'an's 28 signed management units [001 §一.1], the
enterprises and institutes that use their instruments, and, for benchmarks, as many more
units across Jiangsu as the scale asks for."""

from dataclasses import dataclass

from dayi.accounts.models import Organisation

from . import credit_codes

Kind = Organisation.Category

ALL_THEMES = "it ne nev chem fib met bio smart soft ai green"


@dataclass(frozen=True)
class UnitSpec:
    name: str
    short: str
    name_en: str
    category: str
    region: str
    address: str
    domain: str
    themes: str
    share: float
    third_party: bool = False


UNITS = [
    UnitSpec("淮阴工学院", "hyit", "Huaiyin Institute of Technology", Kind.UNIVERSITY, "320871",
             "淮安市枚乘东路1号", "hyit.edu.cn", ALL_THEMES, 11),
    UnitSpec("淮阴师范学院", "hytc", "Huaiyin Normal University", Kind.UNIVERSITY, "320812",
             "淮安市长江西路111号", "hytc.edu.cn", ALL_THEMES, 9),
    UnitSpec("江苏电子信息职业学院", "jsei", "Jiangsu Vocational College of Electronics and Information",
             Kind.UNIVERSITY, "320871", "淮安市枚乘东路3号", "jsei.edu.cn", "it ai soft smart nev", 4),
    UnitSpec("江苏食品药品职业技术学院", "jsfpc", "Jiangsu Food and Pharmaceutical Science College",
             Kind.UNIVERSITY, "320871", "淮安市枚乘东路4号", "jsfpc.edu.cn", "bio chem green", 5),
    UnitSpec("淮安市农业科学研究院", "haas", "Huai'an Academy of Agricultural Sciences", Kind.INSTITUTE, "320804",
             "淮安市淮阴区淮海北路104号", "haas.cn", "bio green", 3),
    UnitSpec("南京大学淮安高新技术研究院", "njuha", "Nanjing University Huai'an High-Tech Research Institute",
             Kind.INSTITUTE, "320803", "淮安市淮安区翔宇大道190号", "njuha.cn", "chem it met ne", 4),
    UnitSpec("盱眙凹土研发中心", "xyat", "Xuyi Attapulgite R&D Centre", Kind.INSTITUTE, "320830",
             "盱眙县东湖北路88号", "xyat.org.cn", "met chem green", 2.5),
    UnitSpec("淮安市盐化工新材料产业研究院", "hayhg", "Huai'an Salt Chemical New Materials Institute",
             Kind.INSTITUTE, "320813", "淮安市洪泽区东七街16号", "hayhg.cn", "chem met ne", 2),
    UnitSpec("淮安市产品质量监督综合检验中心", "hazj", "Huai'an Product Quality Supervision and Inspection Centre",
             Kind.TEST_CENTRE, "320871", "淮安市深圳东路6号", "hazj.org.cn", "met chem smart nev it", 6),
    UnitSpec("淮安市食品药品检验所", "hasyj", "Huai'an Institute for Food and Drug Control", Kind.TEST_CENTRE,
             "320812", "淮安市健康东路5号", "hasyj.cn", "bio green", 4),
    UnitSpec("淮安市疾病预防控制中心", "hacdc", "Huai'an Center for Disease Control and Prevention",
             Kind.TEST_CENTRE, "320812", "淮安市淮海北路66号", "hacdc.cn", "bio green", 3.5),
    UnitSpec("江苏省淮安环境监测中心", "hahj", "Jiangsu Huai'an Environmental Monitoring Centre",
             Kind.TEST_CENTRE, "320812", "淮安市健康西路60号", "hahj.org.cn", "green", 2.5),
    UnitSpec("淮安市计量测试中心", "hajl", "Huai'an Metrology and Testing Centre", Kind.TEST_CENTRE, "320812",
             "淮安市承德南路262号", "hajl.org.cn", "smart met it nev", 2),
    UnitSpec("淮安市第一人民医院", "hafh", "Huai'an First People's Hospital", Kind.HOSPITAL, "320812",
             "淮安市北京西路1号", "hsyy.cn", "bio", 2.5),
    UnitSpec("淮安市第二人民医院", "hash", "Huai'an Second People's Hospital", Kind.HOSPITAL, "320812",
             "淮安市淮海南路62号", "hasey.cn", "bio", 1.5),
    UnitSpec("淮安市水产科学研究所", "hasc", "Huai'an Fisheries Research Institute", Kind.INSTITUTE, "320804",
             "淮安市淮阴区北京北路8号", "hasc.org.cn", "bio green", 1),
    UnitSpec("江苏金湖仪器仪表产业技术研究院", "jhyb", "Jinhu Instrument Industry Technology Institute",
             Kind.INSTITUTE, "320831", "金湖县金湖西路199号", "jhyb.org.cn", "smart it ai", 1.5),
    UnitSpec("淮安经开区新能源汽车零部件公共技术服务平台", "hanev",
             "Huai'an EDZ NEV Parts Public Technology Service Platform", Kind.PLATFORM, "320871",
             "淮安经济技术开发区承德南路666号", "hanev.cn", "nev ne smart", 2, third_party=True),
    UnitSpec("江苏华淮检测技术有限公司", "hhjc", "Jiangsu Huahuai Testing Technology Co., Ltd.", Kind.ENTERPRISE,
             "320812", "淮安市清江浦区水渡口大道2号", "hhjc.com.cn", "green bio met chem", 2, third_party=True),
    UnitSpec("淮安中科环境检测有限公司", "zkhj", "Huai'an Zhongke Environmental Testing Co., Ltd.",
             Kind.ENTERPRISE, "320804", "淮安市淮阴区长江东路218号", "zkhj.com.cn", "green", 1.2, third_party=True),
    UnitSpec("淮安自来水有限公司", "hazls", "Huai'an Water Supply Co., Ltd.", Kind.ENTERPRISE, "320812",
             "淮安市淮海东路150号", "hazls.com", "green", 1.2),
    UnitSpec("江苏天士力帝益药业有限公司", "tsldy", "Jiangsu Tasly Diyi Pharmaceutical Co., Ltd.",
             Kind.ENTERPRISE, "320871", "淮安经济技术开发区天津路1号", "tasly-diyi.com", "bio chem", 1.5),
    UnitSpec("江苏永安制药有限公司", "yazy", "Jiangsu Yong'an Pharmaceutical Co., Ltd.", Kind.ENTERPRISE,
             "320804", "淮安市淮阴区淮河东路88号", "yongan-pharm.cn", "bio chem", 1),
    UnitSpec("江苏今世缘酒业股份有限公司", "jsy", "Jiangsu King's Luck Brewery Co., Ltd.", Kind.ENTERPRISE,
             "320826", "涟水县高沟镇今世缘大道1号", "jsy.com.cn", "bio", 1),
    UnitSpec("江苏井神盐化股份有限公司", "jssh", "Jiangsu Jingshen Salt Chemical Co., Ltd.", Kind.ENTERPRISE,
             "320803", "淮安市淮安区华西路18号", "jsjingshen.com", "chem met green", 1),
    UnitSpec("淮安澳洋顺昌光电技术有限公司", "aysc", "Huai'an Aucksun Optoelectronics Technology Co., Ltd.",
             Kind.ENTERPRISE, "320871", "淮安经济技术开发区富士康路88号", "aucksun-opto.com", "it ne", 1.2),
    UnitSpec("江苏益马机械有限公司", "yima", "Jiangsu Yima Machinery Co., Ltd.", Kind.ENTERPRISE, "320813",
             "淮安市洪泽区东五街2号", "yimajx.com", "smart met nev", 0.8),
    UnitSpec("江苏悦丰晶瓷实业有限公司", "yfjc", "Jiangsu Yuefeng Crystal Ceramics Co., Ltd.", Kind.ENTERPRISE,
             "320826", "涟水县经济开发区红日大道28号", "yfjc.com.cn", "met chem", 0.8),
]  # fmt: skip

USER_ORGANISATIONS = [
    ("江苏瑞鑫新材料科技有限公司", "chem"), ("淮安恒泰精细化工有限公司", "chem"), ("江苏清源环保科技有限公司", "green"),
    ("淮安华科电子科技有限公司", "it"), ("江苏润升生物医药有限公司", "bio"), ("淮安博洋智能装备有限公司", "smart"),
    ("江苏新宇新能源科技有限公司", "ne"), ("淮安金禾食品科技有限公司", "bio"), ("江苏天成纤维科技有限公司", "fib"),
    ("淮安中恒汽车零部件有限公司", "nev"), ("江苏富淮软件科技有限公司", "soft"), ("淮安盛达检测技术有限公司", "green"),
    ("江苏嘉诚光电科技有限公司", "it"), ("淮安明远智能科技有限公司", "ai"), ("江苏翔宇电池材料有限公司", "ne"),
    ("淮安泓源生物科技有限公司", "bio"), ("江苏恒安金属制品有限公司", "met"), ("淮安蓝海水处理设备有限公司", "green"),
    ("江苏云帆信息技术有限公司", "soft"), ("淮安鼎盛精密机械有限公司", "smart"), ("江苏华禾农业科技有限公司", "bio"),
    ("淮安欣源新材料有限公司", "chem"), ("江苏卓越芯片科技有限公司", "it"), ("淮安启航动力科技有限公司", "nev"),
    ("江苏绿洲环境工程有限公司", "green"), ("淮安优诺医疗器械有限公司", "bio"), ("江苏海川高分子材料有限公司", "fib"),
    ("淮安智行数据科技有限公司", "ai"), ("江苏永泰陶瓷材料有限公司", "met"), ("淮安康宁制药有限公司", "bio"),
    ("江苏科捷储能技术有限公司", "ne"), ("淮安微纳传感技术有限公司", "it"),
    ("江苏财经职业技术学院", "soft"), ("淮安市高级职业技术学校", "smart"), ("南京林业大学淮安研究院", "fib"),
    ("中国矿业大学淮安研究院", "met"), ("淮安市工业和信息化研究中心", "soft"), ("淮安市农业技术推广中心", "bio"),
    ("江苏淮安创新创业孵化中心团队", "ai"), ("淮安市科技情报研究所", "soft"),
]  # fmt: skip

# The platform operator is the city's science and technology information institute (市科技情报所)
# and the authorities are the science and technology bureaus [001].
OPERATOR_ORGANISATION = "淮安市科技情报研究所"
CITY_AUTHORITY = ("淮安市科学技术局", "320800")
DISTRICT_AUTHORITY = ("淮安市清江浦区科学技术局", "320812")

_CORES = (
    "瑞鑫 恒泰 华科 清源 润升 博洋 新宇 金禾 天成 中恒 富达 盛达 嘉诚 明远 翔宇 泓源 恒安 蓝海 云帆 鼎盛 "
    "华禾 欣源 卓越 启航 绿洲 优诺 海川 智行 永泰 康宁 科捷 微纳 远景 凯瑞 宏图 正泰 维康 信达 百川 汇智 "
    "德润 中科 华瑞 天和 东升 宇航 隆基 恒瑞 海昇 晶华"
)
_INDUSTRIES = [
    ("新材料科技有限公司", "chem met"), ("生物医药有限公司", "bio"), ("电子科技有限公司", "it"),
    ("智能装备有限公司", "smart"), ("新能源科技有限公司", "ne nev"), ("食品科技有限公司", "bio"),
    ("环保科技有限公司", "green"), ("精细化工有限公司", "chem"), ("汽车零部件有限公司", "nev smart"),
    ("检测技术有限公司", "green bio met"), ("纤维科技有限公司", "fib"), ("半导体有限公司", "it ai"),
]  # fmt: skip


def unit_kind(category: str) -> str:
    if category == Kind.ENTERPRISE:
        return credit_codes.ENTERPRISE
    if category == Kind.PLATFORM:
        return credit_codes.NON_PROFIT
    return credit_codes.PUBLIC_INSTITUTION


def extra_unit_names(count: int, city_names: list[str]):
    """`count` distinct (name, city, themes) of research and testing centres of Jiangsu
    companies, in a fixed order that spreads them over the cities."""
    produced = 0
    for core in _CORES.split():
        for industry, themes in _INDUSTRIES:
            for city in city_names:
                if produced == count:
                    return
                yield f"{city.removesuffix('市')}{core}{industry}研发检测中心", city, themes
                produced += 1
    raise ValueError(f"The name generator runs out before {count} extra units.")
