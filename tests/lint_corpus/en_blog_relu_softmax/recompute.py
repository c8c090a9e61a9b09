"""Recomputes the blog post's 3-3-3-3 ReLU network: forward pass, softmax, then the backward pass with A[4] = Z[4]."""
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from corpus_check import Worksheet  # noqa: E402

FIRST = 319          # source.md is lines 319-1334 of the post
ws = Worksheet.beside(__file__)


def at(file_line: int) -> int:
    """Line in source.md of a line of the original post."""
    return file_line - FIRST + 1


def given_column(first, written):
    return [ws.given(at(first + i), w) for i, w in enumerate(written)]


def given_matrix(first, rows):
    return [[ws.given(at(first + i), w) for w in row] for i, row in enumerate(rows)]


def restate_column(first, numbers, written=None):
    return [ws.restate(at(first + i), written[i] if written else n.written, n) for i, n in enumerate(numbers)]


def restate_matrix(first, matrix, rows):
    return [[ws.restate(at(first + i), w, n) for w, n in zip(row, numbers)]
            for i, (row, numbers) in enumerate(zip(rows, matrix))]


def signed_terms(line, terms, result, note_terms=None, note_result=None):
    """`t1 ± t2 ± t3 = r` where term i stands for a_i * b_i and the minus signs are written between terms."""
    written_terms = []
    for written, sign, a, b in terms:
        note = (note_terms or {}).get(written, "")
        written_terms.append((sign, ws.claim(at(line), written, lambda u, v, s=sign: s * u * v, a, b, note=note)))
    signs = [s for s, _ in written_terms]
    value = ws.claim(at(line), result, lambda *t: sum(s * x for s, x in zip(signs, t)),
                     *[n for _, n in written_terms], note=note_result or "")
    return value


def row_products(line, a_list, b_list, signs_written):
    """The row `a1 \\cdot b1 ± a2 \\cdot b2 ± ...` restating weights and activations (a sign split off when written)."""
    for (a, b, (wa, sa, wb)) in zip(a_list, b_list, signs_written):
        if sa == 1:
            ws.restate(at(line), wa, a)
        else:
            ws.restate_signed(at(line), wa, a, -1)
        ws.restate(at(line), wb, b)


X = given_column(332, ["1", "4", "7"])
W1 = given_matrix(345, [["0.2", "-0.1", "0.4"], ["0.5", "0.3", "-0.6"], ["-0.2", "0.1", "0.3"]])
b1 = given_column(356, ["0", "0", "0"])
W2 = given_matrix(367, [["0.1", "-0.2", "0.5"], ["0.4", "0.1", "-0.3"], ["-0.1", "0.3", "0.2"]])
b2 = given_column(378, ["0", "0", "0"])
W3 = given_matrix(389, [["0.3", "0.1", "-0.4"], ["0.2", "-0.5", "0.6"], ["-0.3", "0.2", "0.4"]])
b3 = given_column(400, ["0", "0", "0"])
W4 = given_matrix(411, [["0.2", "-0.1", "0.5"], ["0.4", "0.1", "-0.3"], ["-0.2", "0.3", "0.2"]])
b4 = given_column(422, ["0", "0", "0"])
Y = given_column(433, ["1", "0", "0"])



def layer(first_matrix, W, first_input, inputs, first_bias, bias, first_rows, rows, first_terms, term_specs,
          results, first_z):
    """One layer as the post writes it: W, the input and the bias restated, the rows, the terms, then Z."""
    restate_matrix(first_matrix, W, [[n.written for n in row] for row in W])
    restate_column(first_input, inputs)
    restate_column(first_bias, bias)
    for r in range(3):
        row_products(first_rows + r, W[r], inputs, rows[r])
    z = [signed_terms(first_terms + r, [(w, s, W[r][k], inputs[k]) for k, (w, s) in enumerate(term_specs[r])],
                      results[r]) for r in range(3)]
    restate_column(first_z, z)
    return z


def relu(first_max, z, first_a, written):
    """A = max(0, Z), the maxima written out, then the column of results."""
    inside = [ws.restate(at(first_max + r), ws_zero(first_max + r) or z[r].written, z[r]) for r in range(3)]
    return [ws.claim(at(first_a + r), w, lambda u: max(0.0, u), inside[r]) for r, w in enumerate(written)]


def ws_zero(file_line):
    """Claim the 0 of `\\max(0, ...)` as a given constant of the ReLU, then let the caller restate Z."""
    ws.given(at(file_line), "0")
    return None


def rows_spec(rows):
    return [[(w.strip("()"), s, v) for w, s, v in row] for row in rows]


Z1 = layer(511, W1, 515, X, 519, b1, 529,
           rows_spec([[("0.2", 1, "1"), ("0.1", -1, "4"), ("0.4", 1, "7")],
                      [("0.5", 1, "1"), ("0.3", 1, "4"), ("0.6", -1, "7")],
                      [("-0.2", 1, "1"), ("0.1", 1, "4"), ("0.3", 1, "7")]]),
           536, [[("0.2", 1), ("0.4", -1), ("2.8", 1)], [("0.5", 1), ("1.2", 1), ("4.2", -1)],
                 [("-0.2", 1), ("0.4", 1), ("2.1", 1)]], ["2.6", "-2.5", "2.3"], 544)
A1 = relu(556, Z1, 560, ["2.6", "0", "2.3"])
Z2 = layer(577, W2, 581, A1, 585, b2, 595,
           rows_spec([[("0.1", 1, "2.6"), ("(-0.2)", 1, "0"), ("0.5", 1, "2.3")],
                      [("0.4", 1, "2.6"), ("0.1", 1, "0"), ("(-0.3)", 1, "2.3")],
                      [("-0.1", 1, "2.6"), ("0.3", 1, "0"), ("0.2", 1, "2.3")]]),
           602, [[("0.26", 1), ("0", 1), ("1.15", 1)], [("1.04", 1), ("0", 1), ("0.69", -1)],
                 [("-0.26", 1), ("0", 1), ("0.46", 1)]], ["1.41", "0.35", "0.20"], 610)
A2 = relu(622, Z2, 626, ["1.41", "0.35", "0.20"])
Z3 = layer(643, W3, 647, A2, 651, b3, 661,
           rows_spec([[("0.3", 1, "1.41"), ("0.1", 1, "0.35"), ("0.4", -1, "0.20")],
                      [("0.2", 1, "1.41"), ("0.5", -1, "0.35"), ("0.6", 1, "0.20")],
                      [("-0.3", 1, "1.41"), ("0.2", 1, "0.35"), ("0.4", 1, "0.20")]]),
           668, [[("0.423", 1), ("0.035", 1), ("0.08", -1)], [("0.282", 1), ("0.175", -1), ("0.12", 1)],
                 [("-0.423", 1), ("0.07", 1), ("0.08", 1)]], ["0.378", "0.227", "-0.273"], 676)
A3 = relu(687, Z3, 691, ["0.378", "0.227", "0"])
Z4 = layer(707, W4, 711, A3, 715, b4, 725,
           rows_spec([[("0.2", 1, "0.378"), ("0.1", -1, "0.227"), ("0.5", 1, "0")],
                      [("0.4", 1, "0.378"), ("0.1", 1, "0.227"), ("0.3", -1, "0")],
                      [("-0.2", 1, "0.378"), ("0.3", 1, "0.227"), ("0.2", 1, "0")]]),
           732, [[("0.0756", 1), ("0.0227", -1), ("0", 1)], [("0.1512", 1), ("0.0227", 1), ("0", 1)],
                 [("-0.0756", 1), ("0.0681", 1), ("0", 1)]], ["0.0529", "0.1739", "-0.0075"], 740)

# softmax of Z[4]
for r in range(3):
    ws.restate(at(755 + r), Z4[r].written, Z4[r])
exps = []
for r, w_out in enumerate(["1.0543", "1.1904", "0.9925"]):
    z = ws.restate(at(763 + r), Z4[r].written, Z4[r])
    exps.append(ws.claim(at(763 + r), w_out, math.exp, z,
                         note="e^0.1739 = 1.18995, not 1.1904" if r == 1 else ""))
restate_column(771, exps)
total = ws.claim(at(783), "3.2372", lambda a, b, c: a + b + c, *[ws.restate(at(783), e.written, e) for e in exps],
                 note="the sum of the printed exponentials, carrying the wrong 1.1904 (3.2368 from the right ones)")
ws.restate(at(792), "3.2372", total)
restate_column(793, exps)
for r in range(3):
    ws.restate(at(804 + r), exps[r].written, exps[r])
    ws.restate(at(804 + r), "3.2372", total)
probabilities = []
for r, w in enumerate(["0.3252", "0.3685", "0.3063"]):
    e, s = ws.restate(at(812 + r), exps[r].written, exps[r]), ws.restate(at(812 + r), "3.2372", total)
    probabilities.append(ws.claim(at(812 + r), w, lambda u, v: u / v, e, s,
                                  note=f"{exps[r].written}/3.2372 = {exps[r].value / total.value:.5f}"))
restate_column(822, probabilities)

# backward pass: dZ[4] = A[4] - Y with the post's own simplification A[4] = Z[4]
zin, yin = restate_column(917, Z4), restate_column(921, Y)
dZ4 = [ws.claim(at(925 + r), w, lambda a, t: a - t, zin[r], yin[r])
       for r, w in enumerate(["-0.9471", "0.1739", "-0.0075"])]
ws.given(at(938), "1")  # m = 1
restate_column(950, dZ4)
A3_row = [ws.restate(at(954), n.written, n) for n in A3]


def outer(first, column, row, rows, notes):
    """column row^T written out as a matrix, one printed number per product."""
    return [[ws.claim(at(first + i), w, lambda u, v: u * v, column[i], row[k], note=notes.get((i, k), ""))
             for k, w in enumerate(written_row)] for i, written_row in enumerate(rows)]


outer(962, dZ4, A3_row, [["-0.3576", "-0.2144", "0"], ["0.0657", "0.0395", "0"], ["0.0014", "0.0008", "0"]],
      {(0, 0): "-0.9471 x 0.378 = -0.35800", (0, 1): "-0.9471 x 0.227 = -0.21499",
       (2, 0): "-0.0075 x 0.378 = -0.002835 (sign and size)", (2, 1): "-0.0075 x 0.227 = -0.0017025 (sign and size)"})
restate_column(978, dZ4)


def back(first_T, W, first_rows, dz, first_terms, term_specs, results, first_col, notes, t_lines=None, split=()):
    """W^T restated, the rows W^T dZ restated, the terms, the sums and their column."""
    t_lines = t_lines or [[first_T + i] * 3 for i in range(3)]
    WT = [[ws.restate(at(t_lines[i][k]), W[k][i].written, W[k][i]) for k in range(3)] for i in range(3)]
    for r in range(3):
        for k in range(3):
            if (r, k) in split:
                ws.restate_signed(at(first_rows + r), WT[r][k].written.lstrip("-"), WT[r][k], -1)
            else:
                ws.restate(at(first_rows + r), WT[r][k].written, WT[r][k])
            ws.restate(at(first_rows + r), dz[k].written, dz[k])
    sums = [signed_terms(first_terms + r, [(w, s, WT[r][k], dz[k]) for k, (w, s) in enumerate(term_specs[r])],
                         results[r], note_terms=notes.get(r), note_result=notes.get(("sum", r)))
            for r in range(3)]
    return restate_column(first_col, sums), sums


g4_col, g4 = back(997, W4, 1007, dZ4, 1015,
                  [[("-0.18942", 1), ("0.06956", 1), ("0.0015", 1)], [("0.09471", 1), ("0.01739", 1), ("0.00225", -1)],
                   [("-0.47355", 1), ("0.52107", -1), ("0.0015", -1)]],
                  ["-0.11836", "0.10985", "-0.99612"], 1023,
                  {2: {"0.52107": "-0.3 x 0.1739 = -0.05217 (written 0.52107 after the minus)"},
                   ("sum", 2): "follows from the wrong 0.52107 (-0.52722 with -0.05217)"})


def relu_gate(first, z, written):
    return [ws.claim(at(first + r), w, lambda u: 1.0 if u > 0 else 0.0, z[r]) for r, w in enumerate(written)]


def gated(first_in, values, first_gate, gate, first_out, written, with_input=True):
    inputs = restate_column(first_in, values) if with_input else values
    if first_gate:
        gate = restate_column(first_gate, gate)
    return [ws.claim(at(first_out + r), w, lambda u, g: u * g, inputs[r], gate[r]) for r, w in enumerate(written)]


gate3 = relu_gate(1034, Z3, ["1", "1", "0"])
dZ3 = gated(1045, g4, 1049, gate3, 1053, ["-0.11836", "0.10985", "0"])
restate_column(1071, dZ3)
A2_row = [ws.restate(at(1075), n.written, n) for n in A2]
outer(1083, dZ3, A2_row, [["-0.16738", "-0.04149", "-0.02367"], ["0.15576", "0.03849", "0.02197"], ["0", "0", "0"]],
      {(0, 0): "-0.11836 x 1.41 = -0.16689", (0, 1): "-0.11836 x 0.35 = -0.04143",
       (1, 0): "0.10985 x 1.41 = 0.15489", (1, 1): "0.10985 x 0.35 = 0.03845"})
restate_column(1099, dZ3)

g3_col, g3 = back(1118, W3, 1131, dZ3, 1139,
                  [[("-0.03551", 1), ("0.02197", 1), ("0", 1)], [("-0.01184", 1), ("0.05493", -1), ("0", 1)],
                   [("0.47344", 1), ("0.06591", 1), ("0", 1)]],
                  ["-0.01354", "-0.06677", "0.53935"], 1147,
                  {2: {"0.47344": "-0.4 x -0.11836 = 0.047344 (a factor of 10)"},
                   ("sum", 2): "follows from the wrong 0.47344 (0.11325 with 0.047344)"},
                  t_lines=[[1118] * 3, [1119, 1121, 1121], [1122] * 3])
gate2 = relu_gate(1158, Z2, ["1", "1", "1"])
dZ2 = [ws.restate(at(1169 + r), g3[r].written, g3[r]) for r in range(3)]  # the post writes g (.) 1 directly
restate_column(1187, dZ2)
A1_row = [ws.restate(at(1191), n.written, n) for n in A1]
outer(1199, dZ2, A1_row, [["-0.03519", "0", "-0.03111"], ["0.17335", "0", "0.13535"], ["0.37574", "0", "0.20557"]],
      {(0, 0): "-0.01354 x 2.6 = -0.035204 (1.4 units of the last digit off)", (0, 2): "-0.01354 x 2.3 = -0.031142", (1, 0): "-0.06677 x 2.6 = -0.17360", (1, 2): "-0.06677 x 2.3 = -0.15357",
       (2, 0): "0.53935 x 2.6 = 1.40231", (2, 2): "0.53935 x 2.3 = 1.24051"})
restate_column(1215, dZ2)
g2_col, g2 = back(1234, W2, 1245, dZ2, 1253,
                  [[("-0.001354", 1), ("0.026708", -1), ("0.053935", -1)],
                   [("0.002708", 1), ("0.006677", -1), ("0.161805", 1)],
                   [("-0.00677", 1), ("0.020031", 1), ("0.10787", 1)]],
                  ["-0.081997", "0.157836", "0.121131"], 1261, {}, split={(2, 1)})
gate1 = relu_gate(1272, Z1, ["1", "0", "1"])
dZ1 = [ws.claim(at(1283 + r), w, lambda u, g: u * g, g2[r], gate1[r]) for r, w in enumerate(["-0.081997", "0", "0.121131"])]
restate_column(1301, dZ1)
X_row = [ws.restate(at(1305), n.written, n) for n in X]
outer(1313, dZ1, X_row, [["-0.081997", "-0.327988", "-0.57392"], ["0", "0", "0"], ["0.121131", "0.484524", "0.847917"]],
      {(0, 2): "-0.081997 x 7 = -0.573979"})
restate_column(1329, dZ1)

EXPECTED_ERRORS = [  # (line in source.md, written, kind)
    # slips (each found by hand first: the product or sum of the numbers printed just before it)
    (446, "1.1904", "arithmetic"), (494, "0.3252", "arithmetic"), (495, "0.3685", "arithmetic"),
    (496, "0.3063", "arithmetic"), (644, "-0.3576", "arithmetic"), (644, "-0.2144", "arithmetic"),
    (646, "0.0014", "arithmetic"), (646, "0.0008", "arithmetic"), (699, "0.52107", "arithmetic"),
    (765, "-0.16738", "arithmetic"), (765, "-0.04149", "arithmetic"), (766, "0.15576", "arithmetic"),
    (766, "0.03849", "arithmetic"), (823, "0.47344", "arithmetic"), (881, "-0.03519", "arithmetic"),
    (881, "-0.03111", "arithmetic"), (882, "0.17335", "arithmetic"), (882, "0.13535", "arithmetic"),
    (883, "0.37574", "arithmetic"), (883, "0.20557", "arithmetic"), (995, "-0.57392", "arithmetic"),
    # carried forward: the wrong e^0.1739 into the sum and the softmax column, the wrong -0.99612 (gated to 0
    # afterwards), and the wrong 0.53935 into dZ[2], W[2]^T dZ[2], dZ[1] and dW[1]
    *[(line, "1.1904", "consistent") for line in (454, 465, 476, 487, 495)],
    *[(line, "3.2372", "consistent") for line in (465, 474, 486, 487, 488, 494, 495, 496)],
    (504, "0.3252", "consistent"), (505, "0.3685", "consistent"), (506, "0.3063", "consistent"),
    *[(line, "-0.99612", "consistent") for line in (699, 707, 729)],
    *[(line, "0.53935", "consistent") for line in (823, 831, 853, 871, 899, 927, 928, 929)],
    (935, "0.053935", "consistent"), (936, "0.161805", "consistent"), (937, "0.10787", "consistent"),
    *[(line, "-0.081997", "consistent") for line in (935, 943, 965, 983, 995, 1011)],
    *[(line, "0.157836", "consistent") for line in (936, 944)],
    *[(line, "0.121131", "consistent") for line in (937, 945, 967, 985, 997, 1013)],
    (995, "-0.327988", "consistent"), (997, "0.484524", "consistent"), (997, "0.847917", "consistent"),
]

if __name__ == "__main__":
    ws.main(EXPECTED_ERRORS, header="""# Backprop by hand (ahammadnafiz/ahammadnafiz.github.io), lines 319-1334 of the post.
tolerance_note = "The post prints 4 to 6 decimals; a result within half a unit of its last digit of what the printed operands give (each operand +-half a unit of its own last digit) is correct. Its own simplification A[4] = Z[4] (softmax skipped in the backward pass) is followed, not judged."
""")
