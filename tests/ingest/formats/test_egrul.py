from __future__ import annotations

import doctest
import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pytest
from builders import shipment, write_csv
from lxml import etree

from graphkit.errors import InputError
from graphkit.ingest import sources
from graphkit.ingest.formats import HEAD_SIZE, Extract, egrul
from graphkit.ingest.load import load_folder
from graphkit.ingest.rejects import NOT_MAPPED

FIXTURES = Path(__file__).parents[2] / "fixtures" / "formats" / "egrul"
POLAR = "ru-inn-7701000026"  # ООО "ПОЛЯРНАЯ ЗВЕЗДА ТРЕЙД", founded by the four below
NORTH_WIND = "ru-inn-7701000019"  # ООО "СЕВЕРНЫЙ ВЕТЕР", founder of POLAR, its own record after
KHIMKI = "ru-inn-5001000034"  # dissolved, registered before the register began
TAIGA = "ru-inn-7701000040"  # founder of POLAR and KHIMKI, no record of its own
IVANOV = "ru-inn-770100001026"  # founder of NORTH_WIND and POLAR, director of NORTH_WIND
KUZNETSOV = "ru-inn-770100002083"  # director of POLAR


def opensanctions_id(local_id: str, name: str) -> str:
    """zavod's Context.make_id in the ru_egrul dataset, written out."""
    return "ru-" + hashlib.sha1(f"ru_egrul{local_id}{name}".encode()).hexdigest()


SMIRNOVA = opensanctions_id("2167746100047", "АННА ВИКТОРОВНА СМИРНОВА")  # no INN
NORDLIGHT = opensanctions_id("2167746100025", "NORDLIGHT HOLDINGS LIMITED")  # Cyprus


def rows(extract: Extract, table: str, *columns: str) -> list[tuple[object, ...]]:
    frame = extract.tables[table].frame
    return [
        tuple(None if pd.isna(value) else value for value in row)
        for row in frame[list(columns)].astype(object).itertuples(index=False)
    ]


@pytest.mark.parametrize("name", ["egrul_utf8.xml", "egrul_cp1251.xml"])
def test_firms_founders_and_directors(name: str) -> None:
    extract = egrul.read(FIXTURES / name)
    assert extract.format == "EGRUL XML"
    assert extract.unmapped == []
    # fmt: off
    assert rows(
        extract,
        "companies",
        "line", "id", "name", "country", "registration_number", "registered_on", "dissolved_on",
    ) == [
        (7, POLAR, 'ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "ПОЛЯРНАЯ ЗВЕЗДА ТРЕЙД"', "RU",
         "7701000026", "2016-02-11", None),
        (82, NORTH_WIND, 'ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "СЕВЕРНЫЙ ВЕТЕР"', "RU",
         "7701000019", "2015-07-14", None),
        # registered in 1998, entered into the register in 2002, struck off in 2019
        (114, KHIMKI, 'ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "ХИМКИ-ЛОГИСТИК"', "RU",
         "5001000034", "1998-03-12", "2019-05-31"),
        # founder firms without a record of their own: once each, as the founder record gives them
        (44, TAIGA, 'АКЦИОНЕРНОЕ ОБЩЕСТВО "ТАЙГА ИНВЕСТ"', "RU", "7701000040", None, None),
        (53, NORDLIGHT, "NORDLIGHT HOLDINGS LIMITED", "CY", "HE 123456", None, None),
    ]
    # fmt: on
    assert rows(extract, "companies", "address")[:3] == [
        (
            "125009, ГОРОД МОСКВА, МУНИЦИПАЛЬНЫЙ ОКРУГ ТВЕРСКОЙ, УЛИЦА ТВЕРСКАЯ, ДОМ 7, "
            "ПОМЕЩЕНИЕ 12",
        ),
        ("101000, ГОРОД МОСКВА, УЛИЦА МЯСНИЦКАЯ, ДОМ 1, СТРОЕНИЕ 2, ОФИС 5",),
        ("141400, ОБЛАСТЬ МОСКОВСКАЯ, ГОРОД ХИМКИ, УЛИЦА ЛЕНИНА, ДОМ 3",),
    ]
    # Иванов founds two firms and directs one: one row
    assert rows(extract, "persons", "line", "id", "name", "nationality") == [
        (29, KUZNETSOV, "КУЗНЕЦОВ ОЛЕГ ИГОРЕВИЧ", "RU"),
        (64, IVANOV, "ИВАНОВ ПЁТР СЕРГЕЕВИЧ", "RU"),
        (73, SMIRNOVA, "СМИРНОВА АННА ВИКТОРОВНА", "RU"),
    ]
    assert rows(
        extract, "ownership", "line", "owner_id", "owned_id", "share", "since", "until"
    ) == [
        (35, NORTH_WIND, POLAR, "30", "2016-02-11", None),  # Процент
        (44, TAIGA, POLAR, "10", "2016-02-11", None),
        (53, NORDLIGHT, POLAR, "10", "2017-06-20", None),  # ДробДесят 0.1
        (64, IVANOV, POLAR, "25", "2016-02-11", None),  # ДробПрост 1/4
        (73, SMIRNOVA, POLAR, "25", "2018-11-05", None),  # НоминСтоим 2500 of СумКап 10000
        (101, IVANOV, NORTH_WIND, "100", "2015-07-14", None),
        (128, TAIGA, KHIMKI, "100", "2002-10-21", None),
    ]
    assert rows(extract, "officers", "line", "person_id", "company_id", "role", "since") == [
        (29, KUZNETSOV, POLAR, "генеральный директор", "2016-03-01"),
        (95, IVANOV, NORTH_WIND, "директор", "2015-07-14"),
    ]


def test_cp1251_and_utf8_files_give_the_same_rows() -> None:
    cp1251, utf8 = (
        egrul.read(FIXTURES / "egrul_cp1251.xml"),
        egrul.read(FIXTURES / "egrul_utf8.xml"),
    )
    assert cp1251.tables["companies"].encoding == "cp1251"
    assert utf8.tables["companies"].encoding == "utf-8"
    for table in ("companies", "persons", "ownership", "officers"):
        assert cp1251.tables[table].frame.equals(utf8.tables[table].frame), table


def test_records_that_cannot_be_mapped_are_listed_with_line_and_reason() -> None:
    extract = egrul.read(FIXTURES / "problems.xml")
    firm = "the firm with ИНН 7701000065"
    assert [(row.line, row.problem) for row in extract.unmapped] == [
        (4, "the firm has neither ОГРН nor ИНН, so netscan cannot identify it; neither it nor "
            "its founders and directors are loaded"),
        (12, f"{firm} is run by a management company (СвУпрОрг); netscan's officers are persons, "
             "so this is not loaded"),
        (20, f"a founder (УчрФЛ) of {firm} has no name (СвФЛ Фамилия, Имя), so is not loaded"),
        (25, f"a founder (УчрИное) of {firm} is of a kind netscan does not know (it reads УчрФЛ, "
             "УчрЮЛРос, УчрЮЛИн, УчрРФСубМО, УчрПИФ, УчрДогИнвТов), so this founder is not loaded"),
        (28, f"the share of a founder (УчрФЛ) of {firm} cannot be read: the fraction 1/0 "
             "(ДробПрост) is not 0 to 1; this founder is not loaded. Check the extract"),
        (68, f"the founder firm {POLAR} has no name here and no record (СвЮЛ) of its own in this "
             "file, so it is not written; its ownership link loads only if another file gives "
             "this firm"),
    ]  # fmt: skip
    assert extract.unmapped[0].text.startswith('<СвЮЛ ДатаВып="2024-01-01" ДатаОГРН="2010-01-01"')
    assert all(len(row.text) <= 200 for row in extract.unmapped)
    state = opensanctions_id("state", "Российская Федерация")
    ocean = opensanctions_id("2027700000205", "ОУШЕН БРИДЖ ЛТД")
    assert rows(extract, "companies", "line", "id", "name", "country", "registration_number") == [
        (9, "ru-inn-7701000065", 'ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "ВОСТОЧНЫЙ МОСТ"',
         "RU", "7701000065"),
        # ОКСМ 000 is no country: the country's name is passed for the loader to read
        (37, ocean, "ОУШЕН БРИДЖ ЛТД", "БЕЛИЗ", "BZ-77"),
        (47, state, "Российская Федерация", "RU", None),  # the Russian state as founder
        (56, TAIGA, 'АКЦИОНЕРНОЕ ОБЩЕСТВО "ТАЙГА ИНВЕСТ"', "RU", "7701000040"),  # a fund's manager
    ]  # fmt: skip
    assert rows(extract, "persons", "id", "name") == [("ru-inn-770100004098", "ОРЛОВ ДЕНИС")]
    assert rows(extract, "ownership", "line", "owner_id", "share") == [
        (16, "ru-inn-770100004098", None),  # no share given: unknown, the link kept
        (37, ocean, "15"),
        (47, state, "5"),
        (56, TAIGA, "20"),
        (68, POLAR, "10"),  # the founder firm is named nowhere here: the link is still given
    ]


def test_truncated_file_stops_with_the_line_and_the_fix() -> None:
    with pytest.raises(InputError) as caught:
        egrul.read(FIXTURES / "truncated.xml")
    assert caught.value.line == 90
    assert caught.value.problem == (
        "the file ends in the middle of a record (Couldn't find end of Start Tag ГРНДата): "
        "it was cut short"
    )
    assert caught.value.fix is not None and "download the extract again" in caught.value.fix


def _fixture_text() -> str:
    return (FIXTURES / "egrul_utf8.xml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("content", "line", "problem"),
    [
        (b"", 1, "the file is empty"),
        (b"hello", 1, "this is not EGRUL XML, or it is damaged before its first record"),
        (
            _fixture_text().replace('ДатаОГРН="2015-07-14"/>', 'ДатаОГРН="2015-07-14">').encode(),
            111,
            "the XML is damaged (Opening and ending tag mismatch: СвОбрЮЛ line 93 and СвЮЛ)",
        ),
        (
            _fixture_text().encode("cp1251"),  # cp1251 bytes in a file that says UTF-8
            2,
            "the text is not in the encoding the file declares",
        ),
        (
            '<?xml version="1.0"?><Файл><Документ><СвИП ОГРНИП="304770000000019"/></Документ>'
            "</Файл>".encode(),
            None,
            "the file holds no СвЮЛ (legal entity) records: it is not an EGRUL extract",
        ),
    ],
    ids=["empty", "not xml", "damaged", "wrong encoding", "egrip"],
)
def test_unreadable_files_raise_input_error(
    tmp_path: Path, content: bytes, line: int | None, problem: str
) -> None:
    path = tmp_path / "extract.xml"
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        egrul.read(path)
    assert caught.value.line == line
    assert caught.value.problem.startswith(problem)
    assert caught.value.fix


def _firm_xml(body: str, encoding: str = "UTF-8") -> str:
    return (
        f'<?xml version="1.0" encoding="{encoding}"?>\n<Файл ВерсФорм="4.06">\n<Документ>\n'
        f'<СвЮЛ ОГРН="1027700000052" ИНН="7701000065" ДатаОГРН="2002-09-30">\n'
        '<СвНаимЮЛ НаимЮЛПолн="ООО &quot;ВОСТОЧНЫЙ МОСТ&quot;"/>\n'
        f"{body}\n</СвЮЛ>\n</Документ>\n</Файл>\n"
    )


def _read(tmp_path: Path, body: str) -> Extract:
    path = tmp_path / "egrul.xml"
    path.write_text(_firm_xml(body), encoding="utf-8")
    return egrul.read(path)


def test_state_founders_partnerships_and_citizenship(tmp_path: Path) -> None:
    extract = _read(
        tmp_path,
        """<СвУчредит>
        <УчрРФСубМО>
          <ВидНаимУчр КодУчрРФСубМО="2" КодРегион="77" НаимРегион="ГОРОД МОСКВА"/>
          <СвОргОсущПр><НаимИННЮЛ ОГРН="1027700000041" ИНН="7701000040" НаимЮЛПолн="ДЕПАРТАМЕНТ"/>
          </СвОргОсущПр>
        </УчрРФСубМО>
        <УчрРФСубМО>
          <ГРНДатаПерв ГРН="2027700000304" ДатаЗаписи="2003-01-01"/>
          <ВидНаимУчр КодУчрРФСубМО="3" НаимМО="ГОРОДСКОЙ ОКРУГ ХИМКИ"/>
        </УчрРФСубМО>
        <УчрДогИнвТов>
          <СвУпТовЮЛ ОГРН="1157746000015" ИНН="7701000019" НаимЮЛПолн="ООО &quot;ВЕТЕР&quot;"/>
        </УчрДогИнвТов>
        <УчрФЛ>
          <СвФЛ Фамилия="АБЕНОВ" Имя="АСКАР" ИННФЛ="770100003030"/>
          <СвГраждФЛ КодГражд="2" ОКСМ="398" НаимСтран="КАЗАХСТАН"/>
        </УчрФЛ>
        <УчрФЛ>
          <ГРНДатаПерв ГРН="2027700000315" ДатаЗаписи="2003-01-01"/>
          <СвФЛ Фамилия="НЕМО" Имя="КАПИТАН"/>
          <СвГраждФЛ КодГражд="3"/>
        </УчрФЛ>
        </СвУчредит>""",
    )
    khimki = opensanctions_id("2027700000304", "ГОРОДСКОЙ ОКРУГ ХИМКИ")
    nemo = opensanctions_id("2027700000315", "КАПИТАН НЕМО")
    assert rows(extract, "ownership", "owner_id") == [
        (TAIGA,),  # the body exercising the region's rights
        (khimki,),
        (NORTH_WIND,),  # the partnership's managing partner
        ("ru-inn-770100003030",),
        (nemo,),
    ]
    assert rows(extract, "companies", "id", "name")[1:] == [
        (TAIGA, "ДЕПАРТАМЕНТ"),
        (khimki, "ГОРОДСКОЙ ОКРУГ ХИМКИ"),
        (NORTH_WIND, 'ООО "ВЕТЕР"'),
    ]
    assert rows(extract, "persons", "name", "nationality") == [
        ("АБЕНОВ АСКАР", "KZ"),  # from the ОКСМ code
        ("НЕМО КАПИТАН", None),  # stateless
    ]


def test_director_without_post_name_and_management_company(tmp_path: Path) -> None:
    extract = _read(
        tmp_path,
        """<СведДолжнФЛ>
          <СвФЛ Фамилия="ПЕТРОВА" Имя="ИРИНА" ИННФЛ="770100003030"/>
          <СвДолжн ВидДолжн="02" НаимВидДолжн="Руководитель юридического лица"/>
        </СведДолжнФЛ>
        <СведДолжнФЛ><СвДолжн НаимДолжн="ДИРЕКТОР"/></СведДолжнФЛ>""",
    )
    assert rows(extract, "officers", "role", "since") == [("руководитель юридического лица", None)]
    assert [(row.line, row.problem) for row in extract.unmapped] == [
        (10, "a director of the firm with ИНН 7701000065 has no name (СвФЛ Фамилия, Имя), so is "
             "not loaded"),
    ]  # fmt: skip


def test_external_entities_are_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET", encoding="utf-8")
    path = tmp_path / "egrul.xml"
    path.write_text(
        _firm_xml(
            """<СвУчредит><УчрФЛ><СвФЛ Фамилия="А" Имя="Б" ИННФЛ="770100003030"/>
            <ДоляУстКап><РазмерДоли><Процент>&xxe;</Процент></РазмерДоли></ДоляУстКап>
            </УчрФЛ></СвУчредит>"""
        ).replace(
            "<Файл ВерсФорм",
            f'<!DOCTYPE Файл [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>\n<Файл ВерсФорм',
        ),
        encoding="utf-8",
    )
    extract = egrul.read(path)
    assert rows(extract, "ownership", "owner_id", "share") == [("ru-inn-770100003030", None)]
    for raw in extract.tables.values():
        assert not raw.frame.astype(str).apply(lambda c: c.str.contains("TOPSECRET")).any().any()


@pytest.mark.parametrize(
    ("share", "capital", "expected"),
    [
        ("<РазмерДоли><Процент> 33,5 </Процент></РазмерДоли>", None, ("33,5", None)),
        ('<РазмерДоли><ДробПрост Числит="1" Знаменат="3"/></РазмерДоли>', None,
         ("33.3333333333", None)),
        ("<РазмерДоли><ДробДесят>0.125</ДробДесят></РазмерДоли>", None, ("12.5", None)),
        ("<РазмерДоли><ДробДесят>1.5</ДробДесят></РазмерДоли>", None,
         (None, "the fraction '1.5' (ДробДесят) is not 0 to 1")),
        ("", "0", (None, None)),  # no capital to divide by: unknown
        ("", "1000", (None, "the nominal value 2500 is beyond the capital 1000 (СумКап)")),
        ("", "12500", ("20", None)),
    ],
    ids=["percent", "simple", "decimal", "decimal over 1", "no capital", "over capital", "nominal"],
)  # fmt: skip
def test_share_percent(share: str, capital: str | None, expected: tuple[str | None, ...]) -> None:
    element = etree.fromstring(f'<ДоляУстКап НоминСтоим="2500">{share}</ДоляУстКап>')
    assert egrul.share_percent(element, capital) == expected


def test_address_falls_back_to_kladr_when_fias_gives_only_the_postcode() -> None:
    block = etree.fromstring(
        '<СвАдресЮЛ><СвАдрЮЛФИАС Индекс="141400" ИдНом="x"/>'
        '<АдресРФ Индекс="141401" Дом="-" Кварт="ОФИС 2"><Регион ТипРегион="ОБЛАСТЬ" '
        'НаимРегион="МОСКОВСКАЯ"/><НаселПункт НаимНаселПункт="ПОДРЕЗКОВО"/></АдресРФ></СвАдресЮЛ>'
    )
    assert egrul.address(block) == "141401, ОБЛАСТЬ МОСКОВСКАЯ, ПОДРЕЗКОВО, ОФИС 2"


def _cut_inside_a_letter() -> bytes:
    """The UTF-8 fixture's head, cut in the middle of the Д of the first СвЮЛ's ДатаВып."""
    data = (FIXTURES / "egrul_utf8.xml").read_bytes()
    head = data[: data.index("<СвЮЛ Д".encode()) + len("<СвЮЛ ".encode()) + 1]
    with pytest.raises(UnicodeDecodeError):
        head.decode("utf-8")
    return head


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ((FIXTURES / "egrul_cp1251.xml").read_bytes()[:HEAD_SIZE], True),
        (_cut_inside_a_letter(), True),
        (b'\xef\xbb\xbf<?xml version="1.0"?>' + "<Файл><Документ><СвЮЛ/>".encode(), True),
        (b'{"id": "ru-inn-7701000019", "schema": "Company", "properties": {}}\n', False),
        ("id,name,country\nru-inn-7701000019,ООО Ветер,RU\n".encode(), False),
        (b'<?xml version="1.0" encoding="UTF-8"?><rss><channel><title>x</title></channel></rss>',
         False),
        ('<?xml version="1.0"?><Файл><Документ><СвИП ОГРНИП="304770000000019"/></Документ>'
         "</Файл>".encode(), False),  # EGRIP: sole traders
        ('<?xml version="1.0"?><Реестр><СвЮЛ/></Реестр>'.encode(), False),
        (b'<?xml version="1.0" encoding="klingon"?><x/>', False),
    ],
    ids=["cp1251", "utf8 cut", "bom", "ftm", "csv", "other xml", "egrip", "other root", "bad enc"],
)  # fmt: skip
def test_recognises(head: bytes, expected: bool) -> None:
    assert egrul.recognises(head) is expected


def test_extract_loads_with_no_rejects_and_joins_across_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sources, "READERS", (egrul,))
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(FIXTURES / "egrul_cp1251.xml", folder / "egrul_a.xml")
    shutil.copy(FIXTURES / "problems.xml", folder / "egrul_b.xml")
    write_csv(folder / "shipments.csv", [shipment("2023-03-01", "DE1", "DE", POLAR, "RU")])
    dataset, report = load_folder(folder)
    # the one row skipped: ТАЙГА ИНВЕСТ, written by each file as a founder without a record
    rejects = report.rejects.frame()
    assert rejects.loc[rejects["action"] != NOT_MAPPED, ["file", "line", "value"]].to_dict(
        "records"
    ) == [{"file": str(folder / "egrul_b.xml"), "line": 56, "value": TAIGA}]
    assert report.skipped == 1 and report.values_ignored == 0
    assert report.not_mapped == 6
    companies = dataset.companies.set_index("id")
    assert companies.loc[NORDLIGHT, "country"] == "CY"
    assert companies.loc[opensanctions_id("2027700000205", "ОУШЕН БРИДЖ ЛТД"), "country"] == "BZ"
    assert str(companies.loc[KHIMKI, "registered_on"].date()) == "1998-03-12"
    shares = dataset.ownership.set_index(["owner_id", "owned_id"])["share"]
    assert shares[(SMIRNOVA, POLAR)] == 25.0
    assert shares[(POLAR, "ru-inn-7701000065")] == 10.0  # named in the other file


def test_docstring_examples() -> None:
    failures, tried = doctest.testmod(egrul)
    assert tried >= 4 and failures == 0


def test_records_read_are_let_go(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Memory stays flat on a register of gigabytes: the tree holds only the records of the
    chunk being parsed, not all those read before."""
    text = _fixture_text()
    start, end = text.index("  <Документ"), text.rindex("</Файл>")
    path = tmp_path / "egrul.xml"
    path.write_text(text[:start] + text[start:end] * 100 + text[end:], encoding="utf-8")  # 1 MB
    held = []
    firm = egrul._Reader.firm

    def counting(reader: egrul._Reader, element: etree._Element) -> None:
        held.append(len(element.getroottree().getroot()))
        firm(reader, element)

    monkeypatch.setattr(egrul._Reader, "firm", counting)
    egrul.read(path)
    assert len(held) == 300
    assert max(held) < 30  # of 301 elements under the root
