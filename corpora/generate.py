#!/usr/bin/env python3
# -*- coding: utf-8 -*-
"""Generate sach's own test corpora into the folder this file lives in.

All Vietnamese text below was written for this project; nothing is copied
from any other corpus.  Standard library only, deterministic, no network.
External tools: `zstd` (for the .zst files).  Regenerate with:

    python3 corpora/generate.py

Expected counts for bad-records.jsonl (checked by this script on every run):

    lines in file ........................ 31
    valid records ........................ 17   (ids bad-ok-01 .. bad-ok-17;
                                                 bad-ok-16 ends in CRLF)
    bad records .......................... 12
        invalid-json ..................... 1   {"id": "x", "text": "unterminated}
        trailing-garbage ................. 1   {"id":"t","text":"a"} xyz
        top-level-array .................. 1
        top-level-string ................. 1
        missing-text ..................... 1
        text-number ...................... 1
        text-null ........................ 1
        text-array ....................... 1
        text-object ...................... 1
        raw-nul .......................... 1   raw 0x00 byte inside "text"
        duplicate-text-key ............... 1   strict parsers reject; Python's
                                                json keeps the last value
        raw-control ...................... 1   raw 0x1F byte inside "text"
    blank lines .......................... 2
        empty ............................ 1
        spaces-only ...................... 1

Other counts: vi-clean.jsonl 40 records, vi-messy.jsonl 30 records,
vi-invalid-utf8.jsonl 5 records, vi-lines.txt 25 documents (+2 empty lines,
+1 spaces-only line), vi-blocks.txt 8 documents, vi-entities.txt 10 documents.
"""

import gzip
import json
import os
import subprocess
import sys
import tempfile
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))

BAD_RECORDS_EXPECTED = {
    "lines": 31,
    "valid": 17,
    "bad": {
        "invalid-json": 1,
        "trailing-garbage": 1,
        "top-level-array": 1,
        "top-level-string": 1,
        "missing-text": 1,
        "text-number": 1,
        "text-null": 1,
        "text-array": 1,
        "text-object": 1,
        "raw-nul": 1,
        "duplicate-text-key": 1,
        "raw-control": 1,
    },
    "blank": {"empty": 1, "spaces-only": 1},
    "crlf_valid_lines": 1,
}

SOURCE = "sach-corpora"


def nfc(s):
    return unicodedata.normalize("NFC", s)


def nfd(s):
    return unicodedata.normalize("NFD", s)


def js(s, escape=""):
    """JSON string literal, raw UTF-8, like json.dumps(ensure_ascii=False),
    except that DEL and C1 controls (and any char in `escape`) are written as
    \\uXXXX escapes (json.dumps already escapes C0 controls)."""
    out = json.dumps(s, ensure_ascii=False)
    return "".join(
        "\\u%04x" % ord(c) if (0x7F <= ord(c) <= 0x9F or c in escape) else c
        for c in out
    )


def write_bytes(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def read_bytes(name):
    with open(os.path.join(HERE, name), "rb") as f:
        return f.read()


# ---------------------------------------------------------------------------
# 1. vi-clean.jsonl
#
# Tone-mark style per record: "old" = hòa, thủy, khỏe; "new" = hoà, thuỷ,
# khoẻ; "-" = the text has no word where the two styles differ.
# ---------------------------------------------------------------------------

CLEAN = [
    # 001 weather
    ("-", "Sáng nay trời Hà Nội se lạnh, sương mù phủ kín mặt hồ. Đến trưa, nắng nhạt mới xuyên qua những tầng mây xám. Người đi đường vẫn khoác áo dày và quàng khăn len."),
    # 002 weather
    ("old", "Cơn mưa chiều đổ xuống bất ngờ khiến cả con phố nhòa đi sau màn nước trắng xóa. Mấy đứa trẻ vẫn chạy ra sân, cười vang và té nước vào nhau. Bà cụ ở đầu ngõ gọi chúng về thay quần áo, kẻo mai không đủ khỏe để đi học."),
    # 003 weather
    ("new", "Dự báo cho biết tuần tới miền Trung sẽ có mưa lớn kéo dài.\n\nBà con vùng trũng được khuyên kê cao đồ đạc, chuẩn bị lương thực và nước uống. Tuỳ theo diễn biến của mưa lũ, các trường học có thể cho học sinh nghỉ.\n\nAi cũng mong trời sớm quang mây để mọi nhà được bình yên."),
    # 004 cooking
    ("-", "Muốn nấu nồi phở ngon, người ta phải ninh xương bò từ tối hôm trước. Nước dùng cần trong, thơm mùi quế, hồi và gừng nướng. Sáng ra chỉ việc chần bánh, thái thịt mỏng và rắc thêm hành lá."),
    # 005 cooking
    ("old", "Mẹ dạy tôi nấu canh chua cá lóc theo kiểu miền Tây. Cà chua, dứa và me phải được nêm sao cho thật hòa quyện. Tùy khẩu vị, có thể thêm chút ớt hoặc rau ngổ.\n\nBữa cơm chiều có bát canh nóng, cả nhà ai cũng thấy khỏe hẳn ra."),
    # 006 cooking
    ("-", "Bánh chưng cần lá dong xanh, gạo nếp ngâm kỹ, đỗ xanh và thịt ba chỉ. Gói xong, bánh được luộc liền mười tiếng đồng hồ. Cả nhà thay nhau canh lửa suốt đêm cuối năm."),
    # 007 cooking
    ("new", "Chè đỗ đen là món giải nhiệt quen thuộc của mùa hè. Đỗ phải được ninh nhừ nhưng không nát, đường cho vừa đủ ngọt. Tuỳ sở thích, có thể thêm đá bào và một thìa nước cốt dừa cho vị thêm hoà quyện."),
    # 008 market
    ("-", "Chợ quê họp từ lúc gà gáy. Những mớ rau muống, mồng tơi còn ướt sương được bày ngay trên nền đất. Tiếng mặc cả, tiếng cười nói làm cả góc chợ rộn ràng."),
    # 009 market
    ("old", "Cô bán cá ở chợ nói rằng giá cá thu tuần này tăng vì biển động. Khách quen vẫn mua đều, chỉ bớt đi một hai lạng. Ai cũng mong thời tiết sớm hòa dịu để ghe thuyền ra khơi."),
    # 010 market
    ("-", "Phiên chợ cuối năm đông hơn mọi ngày.\n\nNgười ta mua hoa đào, hoa cúc, mứt gừng và bánh kẹo. Các sạp vải cũng chật kín khách chọn đồ mới cho con cháu.\n\nĐến trưa, nhiều sạp đã bán hết hàng và dọn về sớm."),
    # 011 market
    ("new", "Ở chợ nổi, mọi thứ được mua bán ngay trên ghe. Mỗi ghe dựng một cây sào, trên đó treo thứ hàng mình bán: bí đỏ, khoai lang hay dưa hấu. Khách phương xa thích nhất là được ăn tô hủ tiếu nóng giữa dòng sông, mùi thơm hoà vào gió sớm."),
    # 012 school (written with \u escapes in the JSON)
    ("-", "Ngày khai giảng, sân trường rực rỡ cờ hoa. Các em lớp một rụt rè nắm tay bố mẹ bước qua cổng, rồi tiếng trống trường vang lên mở đầu năm học mới."),
    # 013 school
    ("old", "Thầy giáo dạy hóa học của lớp tôi rất nghiêm nhưng tận tâm. Mỗi buổi thí nghiệm, thầy đều nhắc cả lớp đeo kính bảo hộ và giữ gìn sức khỏe. Nhờ thầy, nhiều bạn đã say mê môn học tưởng chừng khô khan này."),
    # 014 school / library
    ("-", "Buổi chiều, thư viện trường chật kín học sinh ôn thi.\n\nCó nhóm giải đề toán, có nhóm đọc lại bài lịch sử. Cô thủ thư khẽ nhắc mọi người giữ yên lặng.\n\nKhi trời tối, đèn vẫn sáng ở những dãy bàn cuối phòng."),
    # 015 school
    ("new", "Em Lan học lớp năm, nhà cách trường gần ba cây số. Ngày nào em cũng đạp xe qua cánh đồng, dù nắng hay mưa. Cô giáo khen em chăm chỉ, còn mẹ em thì vui vì con đạp xe nhiều nên sức khoẻ tốt hẳn lên."),
    # 016 trains
    ("-", "Chuyến tàu đêm từ Hà Nội vào Huế khởi hành lúc mười giờ tối. Trong toa giường nằm, hành khách trò chuyện khe khẽ rồi lần lượt chìm vào giấc ngủ. Sáng ra, qua cửa sổ đã thấy biển xanh và những dãy núi chạy dọc đường ray."),
    # 017 buses
    ("old", "Xe buýt số chín thường đông nhất vào giờ tan tầm. Người lái xe kiên nhẫn chờ cụ già lên hết bậc rồi mới đóng cửa. Tùy từng tuyến, vé tháng dành cho học sinh có giá khác nhau."),
    # 018 trains
    ("new", "Ga tàu nhỏ ở huyện chỉ có một sân ga và hai đường ray.\n\nMỗi ngày có bốn chuyến tàu dừng lại, mỗi chuyến chừng năm phút. Người bán hàng rong tranh thủ mời khách mua bánh mì, nước và trái cây.\n\nKhi còi tàu đã xa, sân ga lại yên tĩnh, chỉ còn tiếng gió hoà với tiếng lá."),
    # 019 buses
    ("-", "Bến xe những ngày giáp Tết lúc nào cũng tấp nập. Trên kính chắn gió của mỗi xe đều dán tấm biển \"Xe về quê ăn Tết\". Hành khách xách túi lớn túi nhỏ, chen nhau tìm chỗ ngồi."),
    # 020 rivers
    ("-", "Dòng sông mùa lũ chảy xiết, nước đỏ nặng phù sa. Hai bên bờ, những bãi ngô non xanh mướt chờ ngày thu hoạch. Người dân ven sông đã quen sống cùng con nước lên xuống."),
    # 021 rivers
    ("old", "Chiều nào ông Tư cũng chèo thuyền ra giữa sông thả lưới. Mặt nước phẳng lặng phản chiếu ánh hoàng hôn đỏ rực như lửa. Thủy triều lên thì ông quay về, mang theo mấy con cá đủ cho bữa tối.\n\nÔng bảo sống với sông lâu năm, người ta tự khắc hiểu được tính nết của nó."),
    # 022 rivers
    ("new", "Con đò ngang nối hai bờ làng đã có từ thời ông bà. Mỗi sáng, học sinh và những người đi chợ ngồi chật con đò nhỏ. Người lái đò bảo nước sông năm nay trong hơn, thuỷ sản cũng nhiều hơn."),
    # 023 rivers / festival (verse with single line breaks)
    ("-", "Sáng nay chợ họp đầu làng,\nRau xanh cá bạc bày hàng ven sông.\nMẹ về nắng đã ửng hồng,\nGánh rau gánh cả tấm lòng quê hương.\n\nBài thơ nhỏ này được viết cho buổi sinh hoạt của câu lạc bộ thơ trong xã."),
    # 024 farming
    ("-", "Tháng năm, cánh đồng lúa chín vàng như tấm thảm trải dài tới chân đê. Nông dân dậy từ tờ mờ sáng để gặt cho kịp trước mưa. Máy gặt chạy xình xịch, rơm bay vàng cả lối đi."),
    # 025 farming
    ("old", "Năm nay ông bà tôi chuyển một phần ruộng sang trồng rau sạch. Ông bảo phải bón phân hữu cơ, tưới nước đều và không phun thuốc hóa học. Rau lớn chậm hơn nhưng ăn ngọt, ai mua cũng khen, người già ăn vào thấy khỏe người."),
    # 026 farming
    ("-", "Mùa cà phê chín ở Tây Nguyên bắt đầu từ tháng mười.\n\nCả nhà cùng ra rẫy hái quả, đem phơi trên sân xi măng rộng. Mùi cà phê tươi lẫn mùi nắng khô thơm khắp bản.\n\nNgười ta mong giá năm nay tốt để trả nợ phân bón và sửa lại mái nhà."),
    # 027 farming
    ("new", "Đàn vịt chạy đồng được thả xuống ruộng sau mùa gặt. Chúng mò ốc, nhặt lúa rơi, béo lên trông thấy. Người chăn vịt dựng lều tạm bên bờ ruộng, tuỳ theo mùa mà dời từ xã này sang xã khác."),
    # 028 library
    ("-", "Thư viện tỉnh vừa mở thêm một phòng đọc dành cho thiếu nhi. Các kệ sách được làm thấp để trẻ nhỏ tự lấy được. Cuối tuần, thư viện tổ chức buổi kể chuyện và vẽ tranh."),
    # 029 library
    ("old", "Ông cụ ngày nào cũng đến thư viện đọc báo từ lúc mở cửa. Cụ bảo đọc sách giúp đầu óc minh mẫn, tinh thần thư thái, nhờ thế mà sức khỏe cũng tốt hơn. Tùy hôm, cụ mượn thêm một cuốn tiểu thuyết mang về nhà."),
    # 030 library
    ("new", "Hệ thống mượn sách của thư viện đã được số hoá.\n\nBạn đọc chỉ cần quét thẻ là biết cuốn sách còn trên kệ hay đã có người mượn. Thời hạn mượn là hai tuần, có thể gia hạn thêm một lần.\n\nNhân viên thư viện cho biết số bạn đọc trẻ tăng rõ rệt sau khi đổi mới."),
    # 031 library
    ("-", "Trên kệ sách cũ, tôi tìm được một cuốn từ điển đã ngả màu vàng, bên trong có những dòng ghi chú bằng bút chì của một người đọc nào đó."),
    # 032 football
    ("-", "Trận chung kết diễn ra trên sân vận động chật kín khán giả. Đội chủ nhà ghi bàn ở phút thứ mười bảy sau một pha phối hợp đẹp mắt. Cả khán đài đứng dậy hò reo, cờ đỏ tung bay khắp nơi."),
    # 033 football
    ("old", "Đội bóng của xã tôi chỉ gồm thanh niên làm ruộng và thợ xây. Họ tập vào buổi chiều sau giờ làm, trên bãi cỏ cạnh đình làng. Dù thua hay thắng, các cầu thủ vẫn vui vẻ bắt tay nhau, không khí lúc nào cũng hòa nhã."),
    # 034 football
    ("new", "Hiệp hai bắt đầu với thế trận giằng co.\n\nĐội khách liên tục tấn công nhưng thủ môn đội nhà bắt bóng rất chắc. Phút tám mươi, một cú sút xa đi chệch cột dọc trong tiếng thở phào của khán giả.\n\nTrận đấu kết thúc với tỉ số hoà một đều, cả hai đội đều hài lòng."),
    # 035 football
    ("-", "Sau trận đấu, cả phố kéo nhau ra đường ăn mừng. Tiếng còi xe, tiếng trống và tiếng hát vang đến tận nửa đêm."),
    # 036 festival
    ("-", "Tết Trung thu, lũ trẻ trong xóm rước đèn ông sao đi khắp ngõ. Mâm cỗ có bánh nướng, bánh dẻo, bưởi và hồng. Trăng rằm tháng tám tròn và sáng hơn mọi đêm."),
    # 037 festival
    ("old", "Lễ hội đua thuyền trên sông được tổ chức vào dịp đầu xuân. Mỗi làng cử một đội trai tráng khỏe mạnh, chèo theo nhịp trống. Hai bên bờ, người xem đông nghịt, tiếng hò reo hòa cùng tiếng trống rộn rã."),
    # 038 festival
    ("new", "Hội làng diễn ra vào giữa tháng Giêng âm lịch.\n\nCác liền anh, liền chị mặc áo tứ thân, đội nón quai thao, hát quan họ trên thuyền và trong sân đình. Lời ca mượt mà, đối đáp qua lại rất duyên.\n\nKhách từ khắp nơi đổ về, ai nghe xong cũng thấy lòng thư thái, người khoẻ khoắn."),
    # 039 festival
    ("-", "Đêm giao thừa, cả gia đình quây quần bên mâm cơm cúng tổ tiên. Đúng lúc chuyển giao năm mới, pháo hoa bừng sáng trên bầu trời thành phố. Trẻ con háo hức chờ được mừng tuổi và nhận những lời chúc tốt lành."),
    # 040 market / weather
    ("new", "Bà bán xôi đầu ngõ nói: “Hôm nay trời đẹp, chắc khách đông.” Quả thật, chưa đến bảy giờ sáng, nồi xôi đã vơi quá nửa. Bà cười, bảo trời nắng ráo thì ai cũng muốn ra đường, trong người cũng khoẻ ra."),
]


def clean_lines():
    lines = []
    for i, (_style, text) in enumerate(CLEAN, 1):
        rid = "clean-%03d" % i
        T = js(text)
        ID = js(rid)
        S = js(SOURCE)
        if i == 5:
            line = '{"id": %s, "text": %s, "source": %s, "score": 1.50, "views": 1e5}' % (ID, T, S)
        elif i == 10:
            # text last; special numbers
            line = '{"id": %s, "source": %s, "delta": -0, "offset": -1.0E+2, "text": %s}' % (ID, S, T)
        elif i == 12:
            # text written entirely with \u escapes (json.dumps default)
            line = '{"id": %s, "text": %s, "source": %s, "text_escaped": true}' % (ID, json.dumps(text), S)
        elif i == 15:
            line = '{"id": %s, "text": %s, "source": %s, "big": 123456789012345678901234567890, "neg_big": -98765432109876543210}' % (ID, T, S)
        elif i == 20:
            line = ('{"id": %s, "text": %s, "source": %s, "meta": {"tags": ["sông", "mùa lũ"], '
                    '"reviewed": true, "flagged": false, "license": null, '
                    '"nested": {"level": 2, "items": [1, [2, [3, []]], {"k": "v", "empty": {}}]}}}') % (ID, T, S)
        elif i == 25:
            # \u00e9 and \/ escapes in other fields; text not first
            line = ('{"id": %s, "url": "https:\\/\\/example.org\\/caf\\u00e9\\/thuc-don", '
                    '"title": "C\\u00e0 ph\\u00ea s\\u1eefa \\u0111\\u00e1", "text": %s, "source": %s}') % (ID, T, S)
        elif i == 30:
            # keys in no particular order, text in the middle
            line = ('{"source": %s, "zeta": 26, "lang": "vi", "id": %s, "alpha": 1, "text": %s, '
                    '"empty_arr": [], "empty_obj": {}}') % (S, ID, T)
        elif i == 35:
            line = ('{"id": %s, "text": %s, "source": %s, '
                    '"nums": [1.50, 1e5, -0, -1.0E+2, 123456789012345678901234567890, 0.1, 1E-7, 2.5e+3], '
                    '"flags": [true, false, null]}') % (ID, T, S)
        elif i == 38:
            # text first; escaped quote and backslash in other fields
            line = ('{"text": %s, "id": %s, "source": %s, "weight": -0.0, '
                    '"path": "C:\\\\du-lieu\\\\sach", "quote": "b\\u00e0 n\\u00f3i \\"ch\\u00e0o\\""}') % (T, ID, S)
        else:
            line = '{"id": %s, "text": %s, "source": %s}' % (ID, T, S)
        lines.append(line)
    return lines


# ---------------------------------------------------------------------------
# 2. vi-messy.jsonl
# ---------------------------------------------------------------------------

TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def cp1258_style(s):
    """Precomposed base letter (â ê ô ơ ư ă or plain vowel) followed by a
    combining tone mark, as text converted from Windows-1258 often looks."""
    out = []
    for ch in nfc(s):
        d = nfd(ch)
        tones = [c for c in d if c in TONE_MARKS]
        if tones and len(d) > 1:
            rest = "".join(c for c in d if c not in TONE_MARKS)
            out.append(nfc(rest) + "".join(tones))
        else:
            out.append(ch)
    return "".join(out)


def mixed_norm(s):
    """Word by word: NFC, NFD, CP1258 style, in turn."""
    words = s.split(" ")
    f = [nfc, nfd, cp1258_style]
    return " ".join(f[i % 3](w) for i, w in enumerate(words))


def named_latin1(s, extra=None):
    """Latin-1 letters as named entities; everything else left as is.
    `extra` maps further characters to entities (&amp; &quot; ...)."""
    from html.entities import codepoint2name
    extra = extra or {}
    out = []
    for c in s:
        if c in extra:
            out.append(extra[c])
        elif 0xC0 <= ord(c) <= 0xFF and c.isalpha():
            out.append("&%s;" % codepoint2name[ord(c)])
        else:
            out.append(c)
    return "".join(out)


def entity_encode(s, numeric="dec"):
    """Named entities for Latin-1 letters, numeric references for every
    other non-ASCII character (dec, HEX or hex)."""
    from html.entities import codepoint2name
    out = []
    for c in s:
        o = ord(c)
        if o < 0x80:
            out.append(c)
        elif 0xC0 <= o <= 0xFF and c.isalpha():
            out.append("&%s;" % codepoint2name[o])
        elif numeric == "dec":
            out.append("&#%d;" % o)
        elif numeric == "HEX":
            out.append("&#x%X;" % o)
        else:
            out.append("&#x%x;" % o)
    return "".join(out)


def numeric_all(s, numeric):
    out = []
    for c in s:
        o = ord(c)
        if o < 0x80:
            out.append(c)
        elif numeric == "dec":
            out.append("&#%d;" % o)
        else:
            out.append("&#x%X;" % o)
    return "".join(out)


ZW = "\u200b\ufeff\u200e\u200f\u2060"

MESSY = []  # (problem, text, chars-to-escape-in-json)


def m(problem, text, escape=""):
    MESSY.append((problem, text, escape))


# 001-002 NFD
m("nfd", nfd("Mùa thu ở vùng cao, những thửa ruộng bậc thang chuyển sang màu vàng óng. Người ta kéo nhau lên núi để ngắm mây trôi dưới chân."))
m("nfd", nfd("Quán bún chả ở góc phố mở cửa từ mười giờ sáng.\n\nKhói nướng thịt bay thơm cả một đoạn đường, khiến ai đi qua cũng muốn ghé vào. Chủ quán bảo bí quyết nằm ở bát nước chấm vừa chua vừa ngọt."))
# 003-004 CP1258 style
m("cp1258-style", cp1258_style("Trường tiểu học của xã vừa được xây thêm ba phòng học mới. Các em học sinh mừng lắm vì không còn phải học ca ba nữa."))
m("cp1258-style", cp1258_style("Đoàn tàu chở hàng chậm rãi đi qua cây cầu sắt bắc ngang sông. Người dân hai bên bờ đã quen với tiếng bánh sắt nghiến trên đường ray mỗi đêm."))
# 005 NFC, NFD and CP1258 style mixed word by word
m("mixed-normalization", mixed_norm("Chợ hoa Tết năm nay có nhiều loại lan mới. Giá một chậu lan hồ điệp dao động từ vài trăm nghìn đến vài triệu đồng."))
# 006-008 line endings
m("crlf", "Lịch chạy xe buýt mới được áp dụng từ thứ Hai.\r\nTuyến số mười hai sẽ chạy thêm hai chuyến vào buổi tối.\r\n\r\nHành khách có thể xem chi tiết tại các nhà chờ.")
m("cr", "Nước sông lên nhanh sau trận mưa đêm qua.\rNhiều thuyền đánh cá phải neo lại sát bờ.\r\rNgười dân được dặn không cho trẻ nhỏ ra gần mép nước.")
m("mixed-line-endings", "Buổi sáng ở thư viện rất yên tĩnh.\r\nChỉ có tiếng lật sách và tiếng quạt trần.\rMột cô bé ngồi đọc truyện tranh say sưa.\nBà thủ thư mỉm cười nhìn em.\r\n\r\nĐến trưa, phòng đọc mới đông dần.")
# 009 named entities (Latin-1 letters named, the rest raw), &nbsp; &amp; &quot; &lt;
_t = named_latin1(
    'Quán "Góc Phố" bán bánh mì & cà phê sữa từ sáu giờ sáng, ai đến muộn thì ăn tô bún riêu. Giá < 30.000 đồng một suất nên khách rất đông.',
    {"&": "&amp;", '"': "&quot;", "<": "&lt;"},
)
_t = _t.replace("30.000 ", "30.000&nbsp;")
m("html-named-entities", _t)
# 010 numeric references: first sentence decimal, second uppercase hex
m("html-numeric-entities",
  numeric_all("Tiết trời đầu xuân ấm áp, hoa đào nở rộ khắp phố phường Việt Nam.", "dec")
  + " " + numeric_all("Nhiều gia đình đưa con đi chụp ảnh, đi cả buổi mà chẳng ai thấy mệt.", "HEX"))
# 011 double-encoded and unknown entity
m("html-double-encoded, html-unknown-entity",
  "Thực đơn hôm nay: c&amp;agrave; ri g&agrave; v&agrave; b&aacute;nh m&igrave; n&oacute;ng. Ghi ch&uacute;: m&oacute;n &foo; tạm hết, xin quý khách thông cảm.")
# 012 bare ampersands
m("bare-ampersand", "Cửa hàng A & B ở đầu phố bán đồ điện gia dụng. Họ mở cửa từ 8 giờ & đóng cửa lúc 21 giờ, kể cả ngày lễ. Phòng R&D của họ nằm trên tầng hai.")
# 013 zero-width characters inside words (raw UTF-8 in the JSON)
m("zero-width",
  "Th\u200bư vi\ufeffện qu\u200eận mở cửa cả ngày thứ Bả\u200fy và Chủ nhật. Bạn đọc có thể mượn tối đa năm cuố\u2060n sách mỗi lần.")
# 014 leading BOM and ZWSP, written as \u escapes in the JSON
m("leading-bom, zero-width",
  "\ufeffTrận bóng tối qua kết thúc với tỉ số hai – một. Người hâm\u200b mộ ở lại sân rất lâu để cổ\u200b vũ đội nhà.",
  escape="\ufeff\u200b")
# 015 soft hyphens: must be left alone
m("soft-hyphen-keep",
  "Con đường từ trung tâm tới bảo tàng dài chừng ba ki\u00adlô\u00admét, đi ô\u00adtô mất mười phút. Quán nhỏ trước cổng bán nước mía và bánh sô\u00adcô\u00adla.")
# 016 Unicode spaces
m("unicode-spaces",
  "Giá\u00a0rau ở chợ đầu mối giảm mạnh trong tuần này.\u2003Rau muống\u2009chỉ còn\u202fnăm nghìn đồng một mớ,\u3000người trồng rau thì lo lắng.")
# 017 tabs
m("tabs", "\tCánh đồng ngô\tbên bãi sông\tđã cao ngang đầu người.\tNông dân\t\tđang chuẩn bị thu hoạch.")
# 018 runs of spaces
m("space-runs", "Đội  bóng   trường tôi    vừa giành chức vô địch cấp huyện.  Cả trường      tổ chức liên hoan   mừng chiến thắng.")
# 019 leading and trailing spaces on lines
m("line-edge-spaces", "   Sáng nay trời nhiều mây.  \n  Chiều có mưa rào rải rác.\t\n\n   Đêm trời lạnh, nhiệt độ thấp nhất khoảng mười lăm độ.   ")
# 020 4+ blank lines in a row
m("blank-line-runs", "Phiên chợ vùng cao họp vào sáng Chủ nhật.\n\n\n\n\n\nNgười dân các bản mang ngựa, gà và rau cải xuống bán.\n\n\n\n\nĐến trưa chợ tan, ai nấy lại lên đường về bản.")
# 021 C0 controls (escaped by json.dumps)
m("c0-controls", "Tiếng chuông\u0007 báo giờ vào lớp vang lên. Học sinh\u001b nhanh chân chạy vào chỗ ngồi.")
# 022 C1 controls (escaped by js())
m("c1-controls", "Chuyến xe\u0080 khách đêm dừng ở trạm nghỉ\u009f giữa đèo. Hành khách xuống xe uống trà nóng và duỗi chân cho đỡ mỏi.")
# 023 fullwidth forms
m("fullwidth", "Mã vé tàu của bạn là ＡＢＣ １２３, ngồi toa số ５. Chúc quý khách thượng lộ bình an！")
# 024 only whitespace and zero-width characters
m("whitespace-only", " \u200b\t\u3000\ufeff\n \u2060\u00a0 ")
# 025 empty text
m("empty", "")
# 026 whitespace around the whole text, whitespace-only lines
m("surrounding-whitespace", "\n\n  Mùa hoa ban nở trắng khắp núi rừng Tây Bắc.\n   \n\t\nKhách đến chơi được mời xôi ngũ sắc và rượu ngô.  \n\n")
# 027 NFD and CRLF together
m("nfd, crlf", nfd("Bánh xèo miền Tây to bằng cái chảo, nhân tôm, thịt và giá đỗ.\r\nĂn kèm rau sống và nước mắm chua ngọt là ngon nhất."))
# 028 named entities and zero-width characters (escaped in the JSON)
m("html-named-entities, zero-width",
  named_latin1("Sông Đà mùa cạn lộ ra những bãi đá lớn, thuyền bè đi lại khó khăn.").replace("cạn", "cạn\u200b").replace("thuyền", "thu\u2060yền"),
  escape="\u200b\u2060")
# 029 Unicode spaces in runs, mixed with ASCII spaces
m("unicode-spaces, space-runs", "Trận  đấu\u00a0\u00a0bắt đầu lúc\u2003\u2003bảy giờ tối. \u00a0Khán giả \u3000\u3000đã có mặt từ sớm.")
# 030 CP1258 style and trailing spaces
m("cp1258-style, line-edge-spaces", cp1258_style("Bà tôi bảo muốn muối dưa cho ngon thì phải phơi rau thật héo.  \nVại dưa để ở góc bếp, ba hôm sau là ăn được.   "))

assert len(MESSY) == 30


def messy_lines():
    lines = []
    for i, (problem, text, escape) in enumerate(MESSY, 1):
        lines.append('{"id": %s, "text": %s, "source": %s, "problem": %s}'
                     % (js("messy-%03d" % i), js(text, escape), js(SOURCE), js(problem)))
    return lines


def check_messy():
    """Each record really has the problem it names."""
    for i, (problem, text, _e) in enumerate(MESSY, 1):
        for p in problem.split(", "):
            ok = {
                "nfd": lambda t: t == nfd(t) and t != nfc(t),
                "cp1258-style": lambda t: t != nfc(t) and t != nfd(t) and t == cp1258_style(nfc(t)),
                "mixed-normalization": lambda t: t != nfc(t) and t != nfd(t) and t != cp1258_style(t),
                "crlf": lambda t: "\r\n" in t,
                "cr": lambda t: "\r" in t and "\n" not in t,
                "mixed-line-endings": lambda t: "\r\n" in t and "\r" in t.replace("\r\n", "") and "\n" in t.replace("\r\n", ""),
                "html-named-entities": lambda t: all(e in t for e in ("&agrave;", "&ocirc;", "&aacute;")) if i == 9 else "&ocirc;" in t,
                "html-numeric-entities": lambda t: all(e in t for e in ("&#7879;", "&#x1EC7;", "&#273;")),
                "html-double-encoded": lambda t: "&amp;agrave;" in t,
                "html-unknown-entity": lambda t: "&foo;" in t,
                "bare-ampersand": lambda t: "A & B" in t,
                "zero-width": lambda t: any(c in t for c in ZW),
                "leading-bom": lambda t: t.startswith("\ufeff"),
                "soft-hyphen-keep": lambda t: "\u00ad" in t,
                "unicode-spaces": lambda t: any(c in t for c in "\u00a0\u2003\u2009\u202f\u3000"),
                "tabs": lambda t: "\t" in t,
                "space-runs": lambda t: "  " in t,
                "line-edge-spaces": lambda t: any(l != l.strip(" \t") for l in t.split("\n")),
                "blank-line-runs": lambda t: "\n\n\n\n\n" in t,
                "c0-controls": lambda t: "\u0007" in t and "\u001b" in t,
                "c1-controls": lambda t: "\u0080" in t and "\u009f" in t and "\u0085" not in t,
                "fullwidth": lambda t: all(c in t for c in "ＡＢＣ１２３！"),
                "whitespace-only": lambda t: t and not "".join(c for c in t if not (c.isspace() or c in ZW)),
                "empty": lambda t: t == "",
                "surrounding-whitespace": lambda t: t != t.strip(),
            }[p](text)
            assert ok, ("messy-%03d" % i, p)
    t9 = MESSY[8][1]
    for e in ("&agrave;", "&ocirc;", "&aacute;", "&nbsp;", "&amp;", "&quot;", "&lt;"):
        assert e in t9, e


# ---------------------------------------------------------------------------
# 3. vi-invalid-utf8.jsonl (bytes)
# ---------------------------------------------------------------------------

INVALID = [
    ("lone-ff", "Sáng nay trời ", b"\xff", " trong xanh, gió nhẹ thổi từ phía biển vào."),
    # "kiểm" = k i E1 BB 83 m; the last byte of "ể" is missing
    ("truncated-3-byte", "Nhân viên thư viện đang ki", b"\xe1\xbb", "m tra lại danh mục sách mới nhập về."),
    ("overlong-2-byte", "Lịch chạy tàu được đăng ở mục tin-tuc", b"\xc0\xaf", "lich-tau trên trang của nhà ga."),
    ("utf16-surrogate", "Tin nhắn gửi từ điện thoại cũ hiện ra một ký tự lạ ", b"\xed\xa0\x80", " ở cuối lời chúc mừng lễ hội."),
    ("stray-continuation", "Một cốc cà phê ở Paris giá khoảng 3", b"\x80", ", đắt hơn ở chợ quê mình nhiều lần."),
]


def invalid_bytes():
    out = b""
    for i, (problem, a, bad, b) in enumerate(INVALID, 1):
        out += ('{"id": %s, "text": %s' % (js("invalid-%03d" % i), js(a)[:-1])).encode("utf-8")
        out += bad
        out += ('%s, "source": %s, "problem": %s}\n' % (js(b)[1:], js(SOURCE), js(problem))).encode("utf-8")
    return out


# ---------------------------------------------------------------------------
# 4. vi-lines.txt
# ---------------------------------------------------------------------------

LINES = [
    "Buổi sáng mùa đông, sương giăng kín cánh đồng và những mái nhà.",
    "Bà ngoại tôi vẫn giữ thói quen pha ấm trà xanh mỗi sớm, ngồi nhìn ra vườn cau.",
    "Chiếc xe đạp cũ của bố đã theo ông suốt hai mươi năm đi làm.",
    "Mùa mưa năm nay đến sớm, nông dân phải gieo mạ lại hai lần.",
    "Trên chuyến xe buýt cuối ngày, người lái xe bật một bản nhạc nhẹ cho hành khách đỡ mệt.",
    "Con mèo nhà hàng xóm thích nằm phơi nắng trên bậu cửa sổ. Chiều nào nó cũng sang nhà tôi xin cá.",
    "Hàng phở đầu phố chỉ bán buổi sáng, đến chín giờ là hết nước dùng.",
    "Thư viện xã có hơn ba nghìn đầu sách, phần lớn do người dân quyên góp.",
    "Trận đấu bị hoãn vì mưa to, khán giả đành ra về trong tiếc nuối.",
    "Lễ hội chọi trâu thu hút hàng nghìn người đến xem mỗi năm.",
    "Ven sông, những hàng tre nghiêng mình soi bóng xuống dòng nước trong, tiếng chim hòa cùng tiếng sóng.",
    "Cô giáo dạy văn thường đọc thơ cho cả lớp nghe vào đầu giờ. Giọng cô trầm ấm, ai cũng chăm chú lắng nghe.",
    "Người bán bánh mì rong đạp xe qua từng con hẻm, vừa đi vừa rao.",
    "Gió mùa đông bắc tràn về, nhiệt độ ở vùng núi có nơi xuống dưới năm độ.",
    "Nhà ga đông nghịt người trong những ngày cuối tháng Chạp.",
    "Sau vụ gặt, rơm được phơi khô rồi chất thành đống cao sau nhà.",
    "Mẹ làm món thịt kho trứng, nước kho sánh lại và có màu cánh gián rất đẹp.",
    "Cuối tuần, bọn trẻ rủ nhau ra bãi sông thả diều.",
    "Cầu thủ trẻ nhất đội mới mười bảy tuổi nhưng chạy không biết mệt.",
    "Phiên chợ trâu bò ở huyện miền núi họp năm ngày một lần.",
    "Khu vườn sau nhà trồng đủ loại rau: cải, mồng tơi, rau dền và húng quế.",
    "Đêm rằm, cả làng ra sân đình xem múa rối nước.",
    "Con tàu chở khách cập bến lúc hoàng hôn, mặt biển ánh lên màu cam đỏ.",
    "Thời tiết hanh khô khiến môi ai cũng nứt nẻ, phải uống nhiều nước hơn để giữ sức khoẻ.",
    "Trong lớp học tình thương, những đứa trẻ bán vé số được học đọc và học viết mỗi tối.",
]


def lines_text():
    out = []
    for i, line in enumerate(LINES, 1):
        out.append(line)
        if i == 8:
            out.append("")        # empty line
        elif i == 15:
            out.append("    ")    # spaces only
        elif i == 20:
            out.append("")        # empty line
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------
# 5. vi-blocks.txt (CRLF)
# ---------------------------------------------------------------------------

BLOCKS = [
    ["Bản tin thời tiết buổi tối",
     "Ngày mai trời nhiều mây, không mưa, về đêm và sáng sớm rét.",
     "Nhiệt độ thấp nhất từ mười hai đến mười bốn độ."],
    ["Cách làm nộm đu đủ",
     "Đu đủ xanh bào sợi, ngâm nước muối loãng rồi vắt thật ráo.",
     "Trộn với cà rốt, lạc rang, rau thơm và nước trộn chua ngọt.",
     "Để chừng mười phút cho ngấm là ăn được."],
    ["Chợ phiên vùng cao",
     "Chợ họp vào sáng Chủ nhật, người các dân tộc từ khắp nơi đổ về mua bán."],
    ["Thông báo của nhà ga",
     "Chuyến tàu đi phía Nam sẽ khởi hành muộn ba mươi phút do thời tiết xấu.",
     "Đề nghị hành khách chú ý theo dõi thông tin trên bảng điện tử."],
    ["Mùa nước nổi",
     "Tháng chín, nước từ thượng nguồn đổ về tràn khắp đồng ruộng miền Tây.",
     "Người dân đi đặt lọp bắt cá linh, hái bông điên điển về nấu canh chua."],
    ["Nội quy phòng đọc",
     "Giữ trật tự và không mang đồ ăn vào phòng.",
     "Sách đọc xong xin để lại trên bàn, nhân viên sẽ xếp lên kệ."],
    ["Kết quả vòng loại",
     "Đội tuyển nữ thắng ba – không trong trận đấu trên sân nhà.",
     "Hai bàn thắng đến từ những quả phạt góc được thực hiện chính xác.",
     "Huấn luyện viên khen tinh thần thi đấu của cả đội."],
    ["Mùa lễ hội chùa",
     "Mùa lễ hội kéo dài từ tháng Giêng đến hết tháng Ba âm lịch.",
     "Khách ngồi đò dọc con suối nhỏ, ngắm núi non hai bên bờ."],
]


def blocks_text():
    # separator after block i (1-based): default one blank line
    seps = {3: ["", "", ""], 5: ["   "]}
    out = []
    for i, b in enumerate(BLOCKS, 1):
        out.extend(b)
        if i < len(BLOCKS):
            out.extend(seps.get(i, [""]))
    return "\r\n".join(out) + "\r\n"


# ---------------------------------------------------------------------------
# 9. vi-entities.txt
# ---------------------------------------------------------------------------

ENTITY_LINES = [
    "Hôm nay trời nắng đẹp, nhiệt độ cao nhất khoảng ba mươi hai độ.",
    "Món gỏi cuốn gồm bánh tráng, tôm luộc, thịt ba chỉ, bún và rau sống, chấm với nước mắm pha theo cách riêng biệt của từng nhà.",
    "Chợ đêm mở cửa từ sáu giờ chiều đến nửa đêm, bán đủ thứ quần áo, đồ ăn vặt và đồ điện tử.",
    "Học sinh lớp chín đang ôn tập cho kỳ thi vào lớp mười, cô giáo dặn các em ngủ đủ giấc.",
    "Tuyến đường sắt trên cao đã chạy thử được hai tháng, hành khách góp nhiều ý kiến.",
    "Người dân ven sông trồng xoài, nhãn và chôm chôm, mùa nào thức nấy.",
    "Thư viện thành phố sẽ đóng cửa ngày thứ Hai để kiểm kê sách.",
    "Trận đấu giữa hai đội đầu bảng kết thúc với tỉ số hòa không – không.",
    "Đêm pháo hoa bên bờ sông thu hút hàng chục nghìn khán giả mỗi năm.",
    "Mùa hè này, nhiều gia đình chọn du lịch biển để nghỉ ngơi và giữ gìn sức khỏe.",
]


def entities_text():
    styles = ["dec", "HEX", "hex"]
    return "".join(entity_encode(l, styles[i % 3]) + "\n" for i, l in enumerate(ENTITY_LINES))


# ---------------------------------------------------------------------------
# 8. bad-records.jsonl (bytes)
# ---------------------------------------------------------------------------

BAD_OK = [
    "Trời hôm nay mát mẻ, thích hợp để đi dạo.",
    "Nồi canh cua rau đay được nấu từ sáng.",
    "Chợ làng họp từ sáng sớm đến trưa thì tan.",
    "Học sinh được nghỉ học một ngày vì bão.",
    "Chuyến xe buýt cuối cùng rời bến lúc mười giờ đêm.",
    "Con sông trước nhà chảy ra biển sau chừng hai mươi cây số.",
    "Lúa vụ đông xuân năm nay được mùa.",
    "Thư viện mới mua thêm năm trăm cuốn sách thiếu nhi.",
    "Trận đấu kết thúc với tỉ số hai – một cho đội khách.",
    "Lễ hội làng diễn ra vào mồng mười tháng Ba âm lịch.",
    "Buổi sáng, bố thường đọc báo bên tách cà phê.",
    "Mưa phùn lất phất suốt cả tuần.",
    "Vườn nhãn nhà bác Hai đã bắt đầu cho trái.",
    "Sân ga vắng vẻ sau khi đoàn tàu rời đi.",
    "Phiên chợ cá họp ngay bên bờ biển từ lúc trời chưa sáng.",
    "Đèn lồng đỏ treo kín phố cổ trong những ngày lễ hội.",
    "Sáng mai vùng ven biển có thể có sương mù dày.",
]

# (kind, raw line bytes without the line ending)
BAD = [
    ("invalid-json", b'{"id": "x", "text": "unterminated}'),
    ("trailing-garbage", b'{"id":"t","text":"a"} xyz'),
    ("top-level-array", '["bad-array", "Mảng không phải là bản ghi."]'.encode()),
    ("top-level-string", '"Chuỗi đứng một mình không phải là bản ghi."'.encode()),
    ("missing-text", '{"id": "bad-missing-text", "body": "Bản ghi này không có trường text.", "source": "sach-corpora"}'.encode()),
    ("text-number", b'{"id": "bad-text-number", "text": 42, "source": "sach-corpora"}'),
    ("text-null", b'{"id": "bad-text-null", "text": null, "source": "sach-corpora"}'),
    ("text-array", '{"id": "bad-text-array", "text": ["Một câu.", "Câu nữa."], "source": "sach-corpora"}'.encode()),
    ("text-object", '{"id": "bad-text-object", "text": {"vi": "Xin chào"}, "source": "sach-corpora"}'.encode()),
    ("empty", b""),
    ("raw-nul", '{"id": "bad-raw-nul", "text": "Chuỗi này có byte'.encode() + b"\x00" + ' rỗng ở giữa.", "source": "sach-corpora"}'.encode()),
    ("spaces-only", b"    "),
    ("duplicate-text-key", '{"id": "bad-duplicate-text", "text": "Giá trị thứ nhất.", "text": "Giá trị thứ hai.", "source": "sach-corpora"}'.encode()),
    ("raw-control", '{"id": "bad-raw-control", "text": "Ký tự điều khiển'.encode() + b"\x1f" + ' thô trong chuỗi.", "source": "sach-corpora"}'.encode()),
]

CRLF_OK = 16  # bad-ok-16 ends in \r\n; bad-ok-15 and bad-ok-17 around it are plain


def bad_records_bytes():
    ok = []
    for i, t in enumerate(BAD_OK, 1):
        ok.append(('{"id": %s, "text": %s, "source": %s}' % (js("bad-ok-%02d" % i), js(t), js(SOURCE))).encode())
    out = []
    k = 0
    # ok, bad, ok, bad, ... ; then the remaining valid ones at the end
    for kind, raw in BAD:
        out.append(ok[k]); k += 1
        out.append(raw)
    out.extend(ok[k:])
    data = b""
    for line in out:
        data += line + (b"\r\n" if line == ok[CRLF_OK - 1] else b"\n")
    return data


def classify_bad_records(data):
    """Classify each line with python's json (strict) and return counts."""
    lines = data.split(b"\n")
    assert lines[-1] == b""
    lines = lines[:-1]
    res = {"lines": len(lines), "valid": 0, "bad": {}, "blank": {}, "crlf_valid_lines": 0}
    for raw in lines:
        crlf = raw.endswith(b"\r")
        if crlf:
            raw = raw[:-1]
        if raw == b"":
            res["blank"]["empty"] = res["blank"].get("empty", 0) + 1
            continue
        if raw.strip(b" ") == b"":
            res["blank"]["spaces-only"] = res["blank"].get("spaces-only", 0) + 1
            continue
        s = raw.decode("utf-8")
        kind = None
        try:
            dec = json.JSONDecoder(object_pairs_hook=lambda p: p)
            obj, end = dec.raw_decode(s)
            if s[end:].strip():
                kind = "trailing-garbage"
        except json.JSONDecodeError as e:
            if "control character" in str(e):
                kind = "raw-nul" if "\x00" in s else "raw-control"
            else:
                kind = "invalid-json"
        if kind is None:
            if isinstance(obj, list) and not (obj and isinstance(obj[0], tuple)):
                kind = "top-level-array"
            elif isinstance(obj, str):
                kind = "top-level-string"
            else:
                keys = [k for k, _ in obj]
                d = dict(obj)
                if keys.count("text") > 1:
                    kind = "duplicate-text-key"
                elif "text" not in d:
                    kind = "missing-text"
                elif d["text"] is None:
                    kind = "text-null"
                elif isinstance(d["text"], bool) or isinstance(d["text"], (int, float)):
                    kind = "text-number"
                elif isinstance(d["text"], list) and d["text"] and isinstance(d["text"][0], tuple):
                    kind = "text-object"
                elif isinstance(d["text"], list):
                    kind = "text-array"
                elif isinstance(d["text"], str):
                    res["valid"] += 1
                    if crlf:
                        res["crlf_valid_lines"] += 1
                    continue
        res["bad"][kind] = res["bad"].get(kind, 0) + 1
    return res


# ---------------------------------------------------------------------------
# compression helpers
# ---------------------------------------------------------------------------

ZSTD = ["zstd", "-q", "-19", "--no-progress"]


def zstd_file(path):
    """Compress a file given by path (the frame records the content size)."""
    return subprocess.run(ZSTD + ["-c", path], check=True, stdout=subprocess.PIPE).stdout


def zstd_stdin(data):
    """Compress from stdin (the frame does not record the content size)."""
    return subprocess.run(ZSTD + ["-c", "-"], input=data, check=True, stdout=subprocess.PIPE).stdout


def zstd_decompress(data):
    return subprocess.run(["zstd", "-q", "-d", "-c", "-"], input=data, check=True, stdout=subprocess.PIPE).stdout


def zstd_test_fails(name):
    r = subprocess.run(["zstd", "-q", "-t", os.path.join(HERE, name)],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return r.returncode != 0


def gz(data):
    return gzip.compress(data, compresslevel=9, mtime=0)


# ---------------------------------------------------------------------------
# main
# ---------------------------------------------------------------------------

def main():
    assert len(CLEAN) == 40 and len(LINES) == 25 and len(BLOCKS) == 8
    assert len(ENTITY_LINES) == 10 and len(INVALID) == 5 and len(BAD_OK) == 17
    for _s, t in CLEAN + [("-", x) for x in LINES + BAD_OK + ENTITY_LINES]:
        assert t == nfc(t), t
    for b in BLOCKS:
        assert 2 <= len(b) <= 4
        for x in b:
            assert x == nfc(x)

    # 1
    clean = ("\n".join(clean_lines()) + "\n").encode("utf-8")
    for line in clean.decode("utf-8").splitlines():
        obj = json.loads(line)
    write_bytes("vi-clean.jsonl", clean)

    # 2
    check_messy()
    messy = ("\n".join(messy_lines()) + "\n").encode("utf-8")
    for i, line in enumerate(messy.decode("utf-8").split("\n")[:-1]):
        assert json.loads(line)["text"] == MESSY[i][1]
    write_bytes("vi-messy.jsonl", messy)

    # 3
    inv = invalid_bytes()
    for line in inv.split(b"\n")[:-1]:
        try:
            line.decode("utf-8")
            raise AssertionError("line is valid UTF-8: %r" % line)
        except UnicodeDecodeError:
            pass
        json.loads(line.decode("utf-8", "replace"))
    write_bytes("vi-invalid-utf8.jsonl", inv)

    # 4, 5, 9
    write_bytes("vi-lines.txt", lines_text().encode("utf-8"))
    write_bytes("vi-blocks.txt", blocks_text().encode("utf-8"))
    ent = entities_text()
    assert all(ord(c) < 0x80 for c in ent)
    for e in ("&agrave;", "&ecirc;", "&ocirc;", "&yacute;", "&#7879;", "&#x1EC7;", "&#x1ec7;", "&#273;"):
        assert e in ent, e
    write_bytes("vi-entities.txt", ent.encode("ascii"))

    # 8
    bad = bad_records_bytes()
    got = classify_bad_records(bad)
    assert got == BAD_RECORDS_EXPECTED, got
    write_bytes("bad-records.jsonl", bad)

    # 6
    write_bytes("vi-clean.jsonl.zst", zstd_file(os.path.join(HERE, "vi-clean.jsonl")))
    write_bytes("vi-clean.jsonl.gz", gz(clean))
    # halves split at the byte midpoint, which falls inside a record
    mid = len(clean) // 2
    a, b = clean[:mid], clean[mid:]
    write_bytes("vi-two-frames.jsonl.zst", zstd_stdin(a) + zstd_stdin(b))
    write_bytes("vi-two-members.jsonl.gz", gz(a) + gz(b))

    # 7
    zst = read_bytes("vi-clean.jsonl.zst")
    write_bytes("vi-truncated.jsonl.zst", zst[:-20])
    write_bytes("vi-truncated.jsonl.gz", gz(clean)[:-30])
    c = bytearray(zst)
    p = len(c) // 2 - 4
    c[p:p + 8] = b"\xff" * 8
    write_bytes("vi-corrupt.jsonl.zst", bytes(c))

    # round trips and failures
    assert zstd_decompress(zst) == clean
    assert gzip.decompress(read_bytes("vi-clean.jsonl.gz")) == clean
    assert zstd_decompress(read_bytes("vi-two-frames.jsonl.zst")) == clean
    assert gzip.decompress(read_bytes("vi-two-members.jsonl.gz")) == clean
    assert zstd_test_fails("vi-truncated.jsonl.zst")
    assert zstd_test_fails("vi-corrupt.jsonl.zst"), "zstd -t accepted vi-corrupt.jsonl.zst"
    try:
        gzip.decompress(read_bytes("vi-truncated.jsonl.gz"))
        raise AssertionError("truncated gzip decompressed")
    except EOFError:
        pass

    print("wrote corpora to %s" % HERE)


if __name__ == "__main__":
    main()
