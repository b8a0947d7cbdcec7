import pytest
from django.core.management import CommandError, call_command

from dayi.catalog.models import Instrument

from .builders import xlsx_bytes


def test_the_command_imports_a_file_and_prints_progress(tmp_path, unit_admin, unit, good_row, capsys):
    path = tmp_path / "仪器.xlsx"
    path.write_bytes(xlsx_bytes([good_row(所属单位=None)]))
    call_command("import_instruments", str(path), unit=str(unit.pk), user=unit_admin.username)
    output = capsys.readouterr().out
    assert "1/1" in output
    assert "1 created" in output
    assert Instrument.objects.get().owner == unit


def test_the_command_lists_the_errors_of_a_refused_file(tmp_path, unit_admin, unit, good_row, capsys):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(xlsx_bytes([good_row(分类代码="999999")]))
    with pytest.raises(CommandError, match="refused"):
        call_command("import_instruments", str(path), unit=unit.name, user=unit_admin.username)
    assert "2 分类代码 E" in capsys.readouterr().err
