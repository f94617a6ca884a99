"""Made-up English/Japanese pairs shared by the round-9 flag tests: a quotation of several sentences the
Japanese keeps as one sentence, and a run-on English sentence translated as four Japanese sentences."""

QUOTATION = (
    "The mayor spoke on Friday.\n"
    'She said: "We will reopen the library. It will take a month. Nobody should worry. The staff are ready."\n'
    "The council agreed.",
    "市長は金曜日に演説した。\n"
    "彼女は「図書館を再開します。一か月かかります。誰も心配する必要はありません。職員の準備はできています」と述べた。\n"
    "議会は同意した。",
)
RUN_ON = (
    "The ferry left at noon.\n"
    "The crew checked the ropes on the deck and the captain spoke to the harbour office by radio, the weather was "
    "calm so the passengers went up to watch the island, the cafe opened an hour later.\n"
    "It arrived at six.",
    "フェリーは正午に出航した。\n"
    "乗組員は甲板のロープを点検した。船長は無線で港の事務所と話した。"
    "天気が穏やかだったので、乗客は島を見に上がった。喫茶室は一時間後に開いた。\n"
    "六時に到着した。",
)
