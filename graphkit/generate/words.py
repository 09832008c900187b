"""Word lists and spelling rules that firm, person and street names are built from.

A word carries its Latin and, where the country writes Cyrillic, its Cyrillic spelling (and a
Kazakh one where that differs), so one name can be rendered in every script a registry or a
customs clerk would use. Cyrillic-only words get their Latin spelling by transliteration.
"""

from __future__ import annotations

from dataclasses import dataclass

_CYRILLIC_TO_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "ә": "a", "ғ": "g", "қ": "q", "ң": "ng", "ө": "o", "ұ": "u", "ү": "u",
    "һ": "h", "і": "i",
}  # fmt: skip


def transliterate(text: str) -> str:
    """Latin spelling of Cyrillic text, the way passports and customs clerks write it."""
    out = []
    for char in text:
        latin = _CYRILLIC_TO_LATIN.get(char.lower())
        if latin is None:
            out.append(char)
        else:
            out.append(latin.capitalize() if char.isupper() else latin)
    return "".join(out)


@dataclass(frozen=True)
class Word:
    latin: str
    cyrillic: str | None = None
    kazakh: str | None = None  # the Kazakh spelling where it differs from the Russian one

    @property
    def transliterated(self) -> str:
        return transliterate(self.cyrillic) if self.cyrillic else self.latin


def latin(text: str) -> tuple[Word, ...]:
    """Words written only in Latin script, separated by '|'."""
    return tuple(Word(w) for w in text.split("|"))


def cyrillic(text: str) -> tuple[Word, ...]:
    """Words written in Cyrillic; their Latin form is the transliteration."""
    return tuple(Word(transliterate(w), w) for w in text.split("|"))


def paired(text: str) -> tuple[Word, ...]:
    """'Latin=Cyrillic[=Kazakh]' entries separated by '|'."""
    words = []
    for entry in text.split("|"):
        parts = entry.split("=")
        words.append(Word(parts[0], parts[1], parts[2] if len(parts) > 2 else None))
    return tuple(words)


# Firm name words, by country or language.
KZ_PREFIXES = paired(
    "Altyn=Алтын|Nomad=Номад|Steppe=Степь|Astana=Астана|Almaty=Алматы|Saryarka=Сарыарка"
    "|Kazakh=Казах=Қазақ|Ak=Ак=Ақ|Kok=Кок=Көк|Zhibek=Жибек=Жібек|Baiterek=Байтерек=Бәйтерек"
    "|Arman=Арман|Samruk=Самрук=Самұрық|Tulpar=Тулпар=Тұлпар|Aral=Арал|Caspian=Каспий"
    "|Ertis=Иртыш=Ертіс|Ulytau=Улытау=Ұлытау|Altai=Алтай|Turan=Туран|Orda=Орда|Kemel=Кемел"
    "|Bereke=Береке|Dostar=Достар|Keruen=Керуен|Nurly=Нурлы=Нұрлы|Sunkar=Сункар=Сұңқар"
    "|Zhuldyz=Жулдыз=Жұлдыз|Kazyna=Казына=Қазына|Shanyrak=Шанырак=Шаңырақ"
    "|Bolashak=Болашак=Болашақ|Esil=Есиль=Есіл|Atameken=Атамекен|Aktobe=Актобе=Ақтөбе"
    "|Taraz=Тараз|Shymkent=Шымкент|Karaganda=Караганда=Қарағанды|Pavlodar=Павлодар"
    "|Kostanay=Костанай=Қостанай|Atyrau=Атырау|Mangystau=Мангистау=Маңғыстау"
    "|Tengri=Тенгри=Тәңірі|Dala=Дала|Kun=Кун=Күн|Asyl=Асыл|Inzhu=Инжу=Інжу|Marzhan=Маржан"
    "|Temir=Темир=Темір|Kumis=Кумис=Күміс|Zhetysu=Жетысу=Жетісу|Eurasia=Евразия"
    "|Orken=Оркен=Өркен|Ansar=Ансар|Aspan=Аспан|Tau=Тау|Bulak=Булак=Бұлақ|Kyran=Кыран=Қыран"
    "|Alatau=Алатау|Medeu=Медеу|Baikonur=Байконур=Байқоңыр|Sapa=Сапа|Ykylas=Ыкылас=Ықылас"
    "|Merei=Мерей|Aisulu=Айсулу|Bayan=Баян|Saule=Сауле=Сәуле|Shugyla=Шугыла=Шұғыла"
    "|Kasiet=Касиет=Қасиет|Yrys=Ырыс|Alem=Алем=Әлем|Daryn=Дарын|Qyzyl=Кызыл=Қызыл"
    "|Zhasyl=Жасыл|Ulan=Улан=Ұлан|Batys=Батыс|Shygys=Шыгыс=Шығыс|Ontustik=Онтустик=Оңтүстік"
    "|Soltustik=Солтустик=Солтүстік|Oral=Орал|Semey=Семей|Turkestan=Туркестан=Түркістан"
    "|Kokshe=Кокше=Көкше|Balkash=Балхаш=Балқаш|Zaisan=Зайсан|Emba=Эмба=Жем|Ilek=Илек=Елек"
    "|Sarysu=Сарысу|Tobyl=Тобол=Тобыл|Torgai=Тургай=Торғай|Khan=Хан|Batyr=Батыр|Biik=Биик=Биік"
    "|Keme=Кеме|Tulip=Тюльпан=Қызғалдақ|Sary=Сары|Kara=Кара=Қара|Zhana=Жана=Жаңа"
)
KZ_CORES = paired(
    "Trade=Трейд|Tech=Тех|Components=Компонентс|Electronics=Электроника|Logistics=Логистикс"
    "|Impex=Импэкс|Service=Сервис|Systems=Системс|Engineering=Инжиниринг|Supply=Сапплай"
    "|Import=Импорт|Export=Экспорт|Distribution=Дистрибьюшн|Industrial=Индастриал"
    "|Solutions=Солюшнс|Commerce=Коммерс|Invest=Инвест|Partners=Партнерс|Energy=Энерджи"
    "|Stroy=Строй|Avtomatika=Автоматика|Pribor=Прибор|Telecom=Телеком|Digital=Диджитал"
    "|Machinery=Машинери|Parts=Партс|Resource=Ресурс|Market=Маркет|Standard=Стандарт"
    "|Project=Проект|Capital=Капитал|Transit=Транзит|Cargo=Карго|Soft=Софт|Electro=Электро"
    "|Power=Пауэр|Metal=Металл|Optics=Оптикс|Technology=Технолоджи|Comp=Комп|Agro=Агро"
    "|Med=Мед|Pharm=Фарм|Chemical=Кемикал|Auto=Авто|Network=Нетворк|Security=Секьюрити"
    "|Equipment=Эквипмент|Instruments=Инструментс|Devices=Девайсес|Micro=Микро|Radio=Радио"
    "|Consult=Консалт|Development=Девелопмент|Build=Билд|Export-Import=Экспорт-Импорт"
    "|Snab=Снаб|Torg=Торг|Komplekt=Комплект|Bearings=Подшипник|Drive=Драйв"
)
KZ_SUFFIXES = (Word(""), *paired(
    "Group=Групп|Plus=Плюс|Pro=Про|KZ=KZ|Asia=Азия|Central=Централ|Company=Компани"
    "|Kazakhstan=Казахстан=Қазақстан|International=Интернешнл|Global=Глобал|Star=Стар"
    "|Prime=Прайм|Max=Макс|Line=Лайн|Alliance=Альянс|Holding=Холдинг"
))  # fmt: skip

RU_CORES = cyrillic(
    "Микроэлектроника|Радиотехника|Прибор|Электроника|Спецтехника|Комплект|Снаб|Торг"
    "|Импорт|Поставка|Деталь|Техника|Автоматика|Связь|Телеком|Энерго|Системы|Компонент"
    "|Электроприбор|Радиодеталь|Промснаб|Техноторг|Элемент|Механика|Станкоимпорт"
    "|Подшипник|Оптика|Навигация|Авиаприбор|Радиосвязь|Микросистемы|Микрочип|Ресурс"
    "|Инжиниринг|Промтех|Спецкомплект|Электрокомпонент|Сервис|Логистик|Инвест"
)
RU_REGIONS = cyrillic(
    "Юг|Север|Восток|Запад|Центр|Урал|Сибирь|Волга|Нева|Балтика|Кама|Дон|Кубань|Вятка|Ока"
    "|Енисей|Амур|Байкал|Алтай|Таймыр|Печора|Прогресс|Вектор|Спектр|Импульс|Альфа|Бета"
    "|Гамма|Дельта|Омега|Сигма|Орион|Вега|Сатурн|Меридиан|Горизонт|Квант|Кристалл|Гранит"
    "|Рубин|Феникс|Атлант|Титан|Форвард|Стандарт|Плюс|Групп|Трейд|Регион|Интер|Москва"
    "|Петербург|Казань|Самара|Пермь|Томск|Тула|Рязань|Тверь|Курск|Омск|Владимир|Ярославль"
)
RU_SUFFIXES = (Word(""), *cyrillic("М|Про|Холдинг|Капитал|Профи|Лидер|Макс|Сити|Экспресс"))

KG_PREFIXES = paired(
    "Ala-Too=Ала-Тоо|Bishkek=Бишкек|Issyk-Kul=Иссык-Куль|Naryn=Нарын|Tien-Shan=Тянь-Шань"
    "|Manas=Манас|Osh=Ош|Talas=Талас|Chui=Чуй|Tokmok=Токмок|Karakol=Каракол"
    "|Kara-Balta=Кара-Балта|Sary-Chelek=Сары-Челек|Kyrgyz=Кыргыз|Tulpar=Тулпар"
    "|Aichurek=Айчурек|Erkin=Эркин|Ak-Suu=Ак-Суу|Kant=Кант|Balykchy=Балыкчы|Batken=Баткен"
    "|Jalal-Abad=Джалал-Абад|Kemin=Кемин|Cholpon=Чолпон|Nur=Нур|Altyn=Алтын|Bereke=Береке"
)
KG_CORES = paired(
    "Import=Импорт|Trade=Трейд|Logistic=Логистик|Service=Сервис|Company=Компани"
    "|Electronics=Электроникс|Tekhno=Техно|Snab=Снаб|Torg=Торг|Transit=Транзит|Invest=Инвест"
    "|Export=Экспорт|Market=Маркет|Komplekt=Комплект|Stroy=Строй|Avto=Авто|Cargo=Карго"
)
KG_SUFFIXES = (Word(""), *paired("Plus=Плюс|Group=Групп|KG=KG|Asia=Азия|Pro=Про|Invest=Инвест"))

AM_PREFIXES = latin(
    "Ararat|Yerevan|Sevan|Aragats|Gyumri|Vanadzor|Dilijan|Masis|Arax|Hayk|Zvartnots|Garni"
    "|Tatev|Noyan|Erebuni|Artsakh|Shirak|Lori|Kotayk|Syunik|Ani|Urartu|Nairi|Arev|Van"
)
AM_CORES = latin(
    "Trade|Electronics|Import|Logistics|Service|Tech|Systems|Distribution|Export|Supply"
    "|Components|Invest|Market|Auto|Engineering|Telecom"
)
AM_SUFFIXES = (Word(""), *latin("Group|Plus|Pro|Armenia|International|Partners"))

CY_PREFIXES = latin(
    "Meridian|Aegean|Olympus|Limassol|Troodos|Kyrenia|Paphos|Larnaca|Aphrodite|Athena"
    "|Apollo|Poseidon|Hermes|Helios|Zenon|Marina|Coral|Cedar|Sapphire|Emerald|Phoenix"
    "|Atlas|Orion|Vega|Argo|Delphi|Ionian|Cyprea|Amathus|Salamis|Kition|Nicosia|Famagusta"
    "|Kourion|Akamas|Polis|Lefkara|Trident|Halcyon|Aurora"
)
CY_CORES = latin("Holdings|Investments|Capital|Trading|Ventures|Management|Enterprises|Assets")
CY_SUFFIXES = (Word(""), *latin("Group|International|Global|Partners|Overseas"))

AE_PREFIXES = latin(
    "Gulf|Falcon|Desert|Emirates|Oasis|Pearl|Palm|Dune|Crescent|Jumeirah|Creek|Horizon"
    "|Sahara|Dhow|Noor|Sharjah|Fujairah|Ajman|Khalifa|Zayed|Saqr|Burj|Nakheel|Sands|Mirage"
    "|Silverline|Goldline|Sky|Azure|Bluewater"
)
AE_CORES = latin("Bridge|Trading|Logistics|Star|Link|Gate|Way|Commerce|Ventures|Global")
AE_SUFFIXES = (Word(""), *latin("General|International|Group|Middle-East|Holdings"))

CN_CITIES = latin(
    "Shenzhen|Guangzhou|Dongguan|Ningbo|Xiamen|Suzhou|Hangzhou|Shanghai|Beijing|Tianjin"
    "|Chengdu|Wuhan|Qingdao|Foshan|Zhuhai|Yiwu|Harbin|Urumqi|Changsha|Xi'an|Hefei|Nanjing"
    "|Wuxi|Jinan|Shantou"
)
_CN_SYLLABLES = latin(
    "Xin|Hua|Jin|Hong|Tian|Zhong|Hao|Rui|Kai|Wei|Jia|Sheng|Yuan|Ding|Chuang|Heng|Lian|Bo|Guang"
    "|Fu|Long|Da|Tai|Yu|Ke|Xing|Feng|Mei|Teng|Sen"
)
CN_BRANDS = tuple(
    Word(first.latin + second.latin.lower())
    for first in _CN_SYLLABLES
    for second in _CN_SYLLABLES
    if first != second
)
CN_INDUSTRIES = latin(
    "Electronics|Technology|Trading|Import & Export|Industrial|Machinery|Precision"
    "|Electronic Technology|Intelligent Technology|Supply Chain"
)

TR_PREFIXES = latin(
    "Anadolu|Boğaziçi|Ege|Marmara|Karadeniz|Akdeniz|Toros|Kapadokya|İstanbul|Ankara|İzmir"
    "|Bursa|Kocaeli|Gaziantep|Konya|Kayseri|Trakya|Uludağ|Erciyes|Fırat|Dicle|Yıldız|Doğan"
    "|Kartal|Aslan|Özgür|Birlik|Güneş|Deniz|Atlas"
)
TR_CORES = latin(
    "Elektronik|Teknoloji|Makina|Endüstri|Otomasyon|Lojistik|Kimya|Metal|Enerji|Tekstil"
    "|Gıda|Yapı|Otomotiv|Medikal|Plastik"
)
TR_SUFFIXES = (Word(""), *latin("Dış Ticaret|Sanayi|Pazarlama|Grup|Ticaret"))

DE_PREFIXES = latin(
    "Halbleiter|Elektronik|Technik|Präzision|Nord|Süd|Rhein|Main|Elbe|Bayern|Hansa|Alpen"
    "|Donau|Weser|Spree|Isar|Neckar|Harz|Schwarzwald|Mosel|Ruhr|Saar|Taunus|Eifel|Allgäu"
    "|Oder|Havel|Lech|Ems|Inn|Mess|Steuer|Antrieb|Kraft|Licht|Funk|Daten|Sensor|Industrie"
    "|Maschinen"
)
DE_CORES = latin(
    "Vertrieb|Handel|Systeme|Komponenten|Bauteile|Technik|Elektronik|Logistik|Werke"
    "|Automation|Antriebe|Sensorik|Messtechnik|Service|Export|Zentrale|Versand|Lager"
)
DE_SUFFIXES = (Word(""), *latin(
    "Müller|Schmidt|Schneider|Fischer|Weber|Meyer|Wagner|Becker|Schulz|Hoffmann|Koch"
    "|Richter|Klein|Wolf|Neumann|Schwarz|Zimmermann|Braun|Krüger|Hartmann"
))  # fmt: skip

IT_PREFIXES = latin(
    "Elettronica|Componenti|Tecnica|Sistemi|Meccanica|Automazione|Strumenti|Forniture"
    "|Ricambi|Impianti|Elettromeccanica|Cuscinetti|Industria|Commerciale|Tecnologie"
)
IT_CORES = latin(
    "Nord|Sud|Adriatica|Lombarda|Veneta|Toscana|Alpina|Padana|Ligure|Emiliana|Italia"
    "|Milano|Torino|Bologna|Brescia|Bergamo|Verona|Modena|Firenze|Genova|Napoli|Tirrena"
)
IT_SUFFIXES = (Word(""), *latin("Rossi|Bianchi|Ferrari|Esposito|Romano|Colombo|Ricci|Marino"))

FR_PREFIXES = latin(
    "Techniques|Composants|Systèmes|Électronique|Industries|Solutions|Équipements"
    "|Instruments|Automatismes|Roulements|Mesures|Optique|Énergie|Mécanique"
)
FR_CORES = latin(
    "Avancées|Modernes|Industrielles|Atlantique|Provence|Normandie|Bretagne|Alsace|Lorraine"
    "|Savoie|Rhône|Loire|Seine|Garonne|Dauphiné|Aquitaine|Picardie|Champagne|Bourgogne"
    "|Languedoc|Lyonnaises|Parisiennes"
)
FR_SUFFIXES = (Word(""), *latin("Martin|Bernard|Dubois|Durand|Leroy|Moreau|Laurent|Simon"))

PL_PREFIXES = latin(
    "Polprzewodnik|Elektronika|Technika|Systemy|Komponenty|Automatyka|Handel|Łożyska"
    "|Aparatura|Pomiar|Energetyka|Maszyny|Części|Optyka"
)
PL_CORES = latin(
    "Polska|Mazowsze|Śląsk|Pomorze|Warszawa|Kraków|Gdańsk|Wisła|Bałtyk|Tatry|Poznań"
    "|Wrocław|Łódź|Lublin|Szczecin|Bydgoszcz|Rzeszów|Kielce|Opole|Toruń"
)
PL_SUFFIXES = (Word(""), *latin("Nowak|Kowalski|Wiśniewski|Wójcik|Kamiński|Lewandowski"))

NL_PREFIXES = latin(
    "Componenten|Elektronica|Techniek|Systemen|Handel|Holland|Delta|Noord|Zuid|Rijn|Maas"
    "|Polder|Tulp|Molen|Haven|Kust|Duin|Lage|Oranje|Vries"
)
NL_CORES = latin(
    "Componenten|Elektronica|Techniek|Systemen|Handel|Groep|Import|Export|Logistiek"
    "|Industrie|Automatisering|Onderdelen"
)
NL_SUFFIXES = (Word(""), *latin("Nederland|Benelux|Europa|Holland|Internationaal"))

# the smaller EU markets share one pool of international-sounding words
EU_PREFIXES = latin(
    "Nordic|Baltic|Euro|Central|Danube|Carpathian|Bohemia|Moravia|Polar|Arctic|Aurora"
    "|Amber|Helix|Vector|Quantum|Nova|Boreal|Fjord|Iberia|Castilla|Tatra|Pannonia|Vltava"
    "|Daugava|Neris|Saimaa|Kalmar|Jutland|Zealand|Lapland|Riga|Tallinn|Vilnius|Kaunas"
    "|Prague|Brno|Bratislava|Kosice|Budapest|Debrecen|Madrid|Valencia|Malmo|Aarhus"
)
EU_CORES = latin(
    "Components|Electronics|Systems|Trading|Technologies|Instruments|Supply|Automation"
    "|Devices|Engineering|Bearings|Optics|Solutions|Industries|Logistics|Parts"
)
EU_SUFFIXES = (Word(""), *latin("Group|International|Europe|Export|Partners|Nordic"))

# Person names: surname, male and female given names, and for Russians patronymics.
RU_SURNAMES = cyrillic(
    "Иванов|Смирнов|Кузнецов|Попов|Васильев|Петров|Соколов|Михайлов|Новиков|Федоров"
    "|Морозов|Волков|Алексеев|Лебедев|Семенов|Егоров|Павлов|Козлов|Степанов|Николаев"
    "|Орлов|Андреев|Макаров|Никитин|Захаров|Зайцев|Соловьев|Борисов|Яковлев|Григорьев"
    "|Романов|Воробьев|Сергеев|Кузьмин|Фролов|Александров|Дмитриев|Королев|Гусев|Киселев"
    "|Ильин|Максимов|Поляков|Сорокин|Виноградов|Ковалев|Белов|Медведев|Антонов|Тарасов"
)
RU_MALE = cyrillic(
    "Сергей|Александр|Дмитрий|Андрей|Алексей|Максим|Евгений|Иван|Михаил|Артем|Владимир"
    "|Николай|Игорь|Олег|Павел|Роман|Виктор|Юрий|Константин|Денис|Антон|Вадим|Кирилл|Илья"
)
RU_FEMALE = cyrillic(
    "Елена|Ольга|Наталья|Татьяна|Ирина|Светлана|Анна|Мария|Екатерина|Юлия|Марина|Анастасия"
    "|Галина|Людмила|Надежда|Оксана|Вера|Дарья|Ксения|Полина"
)
RU_FATHERS = cyrillic(
    "Петр|Иван|Сергей|Александр|Николай|Владимир|Михаил|Андрей|Виктор|Юрий|Алексей|Павел"
    "|Дмитрий|Олег|Борис|Геннадий|Анатолий|Валерий"
)
KZ_SURNAMES = cyrillic(
    "Абенов|Нурланов|Сериков|Жумабаев|Ахметов|Касымов|Исмаилов|Омаров|Тулегенов|Сейтказин"
    "|Бекмуханов|Искаков|Кенжебаев|Мусин|Садыков|Токаев|Ермеков|Жаксылыков|Есенов|Калиев"
    "|Мукашев|Оспанов|Байжанов|Ибраев|Кульбаев|Нуркенов|Сарсенов|Утегенов|Шалабаев|Амиров"
)
KZ_MALE = cyrillic(
    "Нурлан|Серик|Ерлан|Асхат|Бауыржан|Ержан|Данияр|Марат|Тимур|Арман|Айдар|Болат|Канат"
    "|Нуржан|Ельдар|Азамат|Жандос|Алмас|Руслан|Дастан"
)
KZ_FEMALE = cyrillic(
    "Айгуль|Динара|Гульнара|Асель|Жанар|Мадина|Алия|Сауле|Айжан|Камила|Гаухар|Салтанат"
    "|Жанна|Карлыгаш|Меруерт"
)
KG_SURNAMES = cyrillic(
    "Асанов|Токтогулов|Жээнбеков|Абдыкеримов|Мамытов|Осмонов|Сатыбалдиев|Бейшеналиев"
    "|Турдубаев|Кадыров|Эсенгулов|Жолдошев|Мырзакматов|Чолпонбаев|Абдраимов|Иманалиев"
)
KG_MALE = cyrillic("Бакыт|Азамат|Нурбек|Улан|Эрлан|Бекжан|Алмаз|Талант|Мирлан|Канат|Эрмек")
KG_FEMALE = cyrillic("Айпери|Гулзат|Жылдыз|Нургуль|Айгерим|Чолпон|Бермет|Назира")
AM_SURNAMES = paired(
    "Petrosyan=Петросян|Hovhannisyan=Оганесян|Sargsyan=Саргсян|Harutyunyan=Арутюнян"
    "|Grigoryan=Григорян|Khachatryan=Хачатрян|Hakobyan=Акопян|Vardanyan=Варданян"
    "|Karapetyan=Карапетян|Gevorgyan=Геворгян|Avetisyan=Аветисян|Mkrtchyan=Мкртчян"
)
AM_MALE = paired(
    "Armen=Армен|Aram=Арам|Tigran=Тигран|Davit=Давид|Hayk=Айк|Gor=Гор|Levon=Левон|Vahe=Ваге"
)
AM_FEMALE = paired("Anna=Анна|Lilit=Лилит|Mariam=Мариам|Ani=Ани|Nune=Нуне|Gayane=Гаяне")

# persons.csv is cp1251, which has no accented Latin letters: names there are plain ASCII
GERMAN_SURNAMES = latin(
    "Mueller|Schmidt|Schneider|Fischer|Weber|Meyer|Wagner|Becker|Schulz|Hoffmann|Koch|Richter"
)
GERMAN_GIVEN = latin("Hans|Peter|Thomas|Michael|Andreas|Stefan|Klaus|Juergen|Anna|Petra|Sabine")
ITALIAN_SURNAMES = latin("Rossi|Russo|Ferrari|Esposito|Bianchi|Romano|Colombo|Ricci|Marino")
ITALIAN_GIVEN = latin("Marco|Giuseppe|Luca|Andrea|Francesco|Alessandro|Giulia|Chiara|Sara")
FRENCH_SURNAMES = latin("Martin|Bernard|Dubois|Thomas|Robert|Richard|Petit|Durand|Leroy|Moreau")
FRENCH_GIVEN = latin("Jean|Pierre|Michel|Philippe|Nicolas|Julien|Marie|Nathalie|Isabelle")
POLISH_SURNAMES = latin("Nowak|Kowalski|Wisniewski|Wojcik|Kowalczyk|Kaminski|Lewandowski")
POLISH_GIVEN = latin("Piotr|Krzysztof|Andrzej|Tomasz|Pawel|Marcin|Anna|Katarzyna|Agnieszka")
DUTCH_SURNAMES = latin("de Jong|Jansen|de Vries|van den Berg|van Dijk|Bakker|Janssen|Visser")
DUTCH_GIVEN = latin("Jan|Pieter|Kees|Willem|Hendrik|Daan|Sanne|Femke|Lotte")
NORTHERN_SURNAMES = latin(
    "Virtanen|Korhonen|Andersson|Johansson|Nielsen|Jensen|Kazlauskas|Berzins|Tamm|Novak"
    "|Svoboda|Horvath|Nagy|Garcia|Fernandez|Kovac"
)
NORTHERN_GIVEN = latin("Mikko|Lars|Erik|Anders|Jonas|Janis|Martin|Jakub|Laszlo|Carlos|Eva|Ingrid")
CHINESE_SURNAMES = latin("Wang|Li|Zhang|Liu|Chen|Yang|Huang|Zhao|Wu|Zhou|Xu|Sun|Ma|Zhu|Hu")
CHINESE_GIVEN = latin("Wei|Fang|Na|Min|Jing|Lei|Jun|Yan|Hui|Qiang|Ping|Gang|Jie|Tao|Ming")
TURKISH_SURNAMES = latin("Yilmaz|Kaya|Demir|Sahin|Celik|Yildiz|Yildirim|Ozturk|Aydin|Ozdemir")
TURKISH_GIVEN = latin("Mehmet|Mustafa|Ahmet|Ali|Huseyin|Hasan|Ibrahim|Fatma|Ayse|Emine")
GREEK_SURNAMES = latin("Georgiou|Christodoulou|Ioannou|Constantinou|Charalambous|Nicolaou")
GREEK_GIVEN = latin("Andreas|Christos|Georgios|Michalis|Nikos|Maria|Eleni|Despina")
ARAB_SURNAMES = latin("Al Mansouri|Al Hashimi|Al Nuaimi|Al Suwaidi|Al Shamsi|Al Ketbi|Al Falasi")
ARAB_GIVEN = latin("Ahmed|Mohammed|Khalid|Omar|Saeed|Rashid|Hamdan|Fatima|Mariam")

# Addresses: cities and streets per country group.
KZ_CITIES = paired(
    "Almaty=Алматы|Astana=Астана|Shymkent=Шымкент|Karaganda=Караганда|Aktobe=Актобе"
    "|Pavlodar=Павлодар|Ust-Kamenogorsk=Усть-Каменогорск|Atyrau=Атырау|Kostanay=Костанай"
)
KZ_STREETS = paired(
    "Abay=Абая|Dostyk=Достык|Al-Farabi=Аль-Фараби|Tole Bi=Толе би|Satpayev=Сатпаева"
    "|Zheltoksan=Желтоксан|Kabanbay Batyr=Кабанбай батыра|Mangilik El=Мангилик Ел"
    "|Raiymbek=Райымбека|Seifullin=Сейфуллина|Nazarbayev=Назарбаева|Tauelsizdik=Тауелсиздик"
)
RU_CITIES = cyrillic(
    "Москва|Санкт-Петербург|Новосибирск|Екатеринбург|Казань|Нижний Новгород|Челябинск"
    "|Самара|Омск|Ростов-на-Дону|Уфа|Красноярск|Пермь|Воронеж|Зеленоград|Калуга"
)
RU_STREETS = cyrillic(
    "Ленина|Мира|Советская|Гагарина|Пушкина|Профсоюзная|Садовая|Заводская|Промышленная"
    "|Новая|Лесная|Кирова|Тверская|Октябрьская|Московская|Набережная"
)
KG_CITIES = paired("Bishkek=Бишкек|Osh=Ош|Tokmok=Токмок|Kara-Balta=Кара-Балта|Kant=Кант")
KG_STREETS = paired(
    "Chui=Чуй|Manas=Манаса|Kievskaya=Киевская|Toktogul=Токтогула|Ibraimov=Ибраимова"
)
AM_CITIES = latin("Yerevan|Gyumri|Vanadzor|Abovyan|Ejmiatsin")
AM_STREETS = latin("Abovyan|Tigran Mets|Mashtots|Komitas|Baghramyan|Nalbandyan|Amiryan")
CY_CITIES = latin("Limassol|Nicosia|Larnaca|Paphos")
CY_STREETS = latin("Arch. Makariou III|Spyrou Kyprianou|Agias Fylaxeos|Griva Digeni|Omonias")
AE_CITIES = latin("Dubai|Sharjah|Ajman|Abu Dhabi|Ras Al Khaimah")
AE_STREETS = latin("Jebel Ali Free Zone|JLT Cluster|Hamriyah Free Zone|Sheikh Zayed Road")
CN_STREETS = latin("Shennan Road|Huaqiang North Road|Zhongshan Road|Jiefang Road|Renmin Road")
TR_CITIES = latin("İstanbul|Ankara|İzmir|Bursa|Kocaeli|Gaziantep|Mersin")
TR_STREETS = latin("Atatürk Caddesi|Cumhuriyet Caddesi|İstiklal Caddesi|Organize Sanayi Bölgesi")
# EU cities and streets, by country: (cities, streets)
EU_ADDRESSES = {
    "DE": (
        latin("Berlin|Hamburg|München|Köln|Frankfurt am Main|Stuttgart|Düsseldorf|Leipzig"),
        latin("Hauptstraße|Industriestraße|Bahnhofstraße|Gewerbepark|Am Hafen|Lindenweg"),
    ),
    "AT": (
        latin("Wien|Graz|Linz|Salzburg|Innsbruck"),
        latin("Hauptstraße|Industriestraße|Bahnhofstraße|Gewerbepark"),
    ),
    "IT": (
        latin("Milano|Torino|Bologna|Brescia|Verona|Padova|Genova"),
        latin("Via Roma|Via Garibaldi|Corso Italia|Via dell'Industria|Via Mazzini"),
    ),
    "FR": (
        latin("Paris|Lyon|Marseille|Toulouse|Lille|Strasbourg|Grenoble"),
        latin("Rue de la Paix|Avenue Jean Jaurès|Rue Victor Hugo|Boulevard Voltaire"),
    ),
    "PL": (
        latin("Warszawa|Kraków|Gdańsk|Wrocław|Poznań|Łódź"),
        latin("ul. Marszałkowska|ul. Przemysłowa|ul. Piękna|ul. Długa"),
    ),
    "NL": (
        latin("Amsterdam|Rotterdam|Eindhoven|Utrecht|Den Haag"),
        latin("Industrieweg|Stationsstraat|Kerkstraat|Havenweg"),
    ),
    "BE": (
        latin("Antwerpen|Bruxelles|Gent|Liège"),
        latin("Industrieweg|Stationsstraat|Rue de la Loi|Havenlaan"),
    ),
    "CZ": (latin("Praha|Brno|Ostrava|Plzeň"), latin("Průmyslová|Hlavní|Nádražní")),
    "SK": (latin("Bratislava|Košice|Žilina"), latin("Priemyselná|Hlavná|Staničná")),
    "FI": (
        latin("Helsinki|Espoo|Tampere|Vantaa|Lappeenranta|Kotka"),
        latin("Teollisuustie|Mannerheimintie|Satamakatu"),
    ),
    "ES": (latin("Madrid|Barcelona|Valencia|Bilbao"), latin("Calle Mayor|Avenida de la Industria")),
    "SE": (latin("Stockholm|Göteborg|Malmö|Uppsala"), latin("Storgatan|Industrivägen|Hamngatan")),
    "DK": (latin("København|Aarhus|Odense"), latin("Industrivej|Hovedgaden|Havnegade")),
    "LT": (latin("Vilnius|Kaunas|Klaipėda"), latin("Pramonės g.|Gedimino pr.|Uosto g.")),
    "LV": (latin("Rīga|Daugavpils|Liepāja"), latin("Brīvības iela|Rūpniecības iela|Ostas iela")),
    "EE": (latin("Tallinn|Tartu|Narva"), latin("Tööstuse|Sadama|Pärnu mnt")),
    "HU": (latin("Budapest|Debrecen|Győr"), latin("Fő utca|Ipari út|Kossuth Lajos utca")),
}
