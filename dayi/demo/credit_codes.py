"""Unified social credit codes (统一社会信用代码, GB 32100-2015) with correct check characters,
so that demo organisations pass the same checks as real ones."""

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
_ORGANISATION_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]

# Registering authority + kind: 1 2 = public institution (事业单位) registered by the
# establishment office, 9 1 = enterprise registered by market regulation, 5 2 = private
# non-enterprise unit (民办非企业) registered by civil affairs.
PUBLIC_INSTITUTION = "12"
ENTERPRISE = "91"
NON_PROFIT = "52"


def organisation_code(body: str) -> str:
    """The 9-character organisation code (GB 11714): 8 digits and a check character."""
    total = sum(int(char) * weight for char, weight in zip(body, _ORGANISATION_WEIGHTS, strict=True))
    check = 11 - total % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def credit_code(kind: str, region_code: str, number: int) -> str:
    """An 18-character code for the `number`-th organisation of `kind` in a region."""
    body = kind + region_code + organisation_code(f"{number:08d}")
    total = sum(CHARSET.index(char) * weight for char, weight in zip(body, _CODE_WEIGHTS, strict=True))
    return body + CHARSET[(31 - total % 31) % 31]


def is_valid(code: str) -> bool:
    if len(code) != 18 or any(char not in CHARSET for char in code):
        return False
    total = sum(CHARSET.index(char) * weight for char, weight in zip(code[:17], _CODE_WEIGHTS, strict=True))
    return code[17] == CHARSET[(31 - total % 31) % 31]
