"""Recomputes the Mazur 2-2-2 example as these notes print it: targets written o_1, o_2; E = 1/2 sum (out - o)^2."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from corpus_check import Worksheet, sigmoid  # noqa: E402

ws = Worksheet.beside(__file__)
i1, i2 = ws.given(19, "0.05"), ws.given(19, "0.10")
o1, o2 = ws.given(20, "0.01"), ws.given(20, "0.99")          # the notes call the targets o_1, o_2
ws.restate(21, "0.01", o1), ws.restate(21, "0.99", o2)
w1, w2, b1 = ws.given(30, "0.15"), ws.given(30, "0.20"), ws.given(30, "0.35")
w3, w4 = ws.given(31, "0.25"), ws.given(31, "0.30")
ws.restate(31, "0.35", b1)
w5, w6, b2 = ws.given(32, "0.40"), ws.given(32, "0.45"), ws.given(32, "0.60")
w7, w8 = ws.given(33, "0.50"), ws.given(33, "0.55")
ws.restate(33, "0.60", b2)
eta = ws.implied(0.5)  # never printed: "we need a parameter eta called learning rate"; w5+ = 0.35891648 implies 0.5

# forward pass
net_h1 = ws.claim(36, "0.3775", lambda a, b, c, x, y: a * x + b * y + c, w1, w2, b1, i1, i2)
out_h1 = ws.claim(37, "0.593269992", sigmoid, net_h1)
net_h2 = ws.claim(38, "0.3925", lambda a, b, c, x, y: a * x + b * y + c, w3, w4, b1, i1, i2)
out_h2 = ws.claim(39, "0.596884378", sigmoid, net_h2)
net_o1 = ws.claim(43, "1.10590597", lambda a, b, c, x, y: a * x + b * y + c, w5, w6, b2, out_h1, out_h2)
out_o1 = ws.claim(44, "0.75136507", sigmoid, net_o1)
net_o2 = ws.claim(45, "1.2249214", lambda a, b, c, x, y: a * x + b * y + c, w7, w8, b2, out_h1, out_h2)
out_o2 = ws.claim(46, "0.772928465", sigmoid, net_o2)
for line, out, target, written in ((53, out_o1, o1, "0.274811083"), (54, out_o2, o2, "0.023560026")):
    o, t = ws.restate(line, out.written, out), ws.restate(line, target.written, target)
    ws.claim(line, written, lambda u, v: 0.5 * (u - v) ** 2, o, t)

# backward pass, with the notes' own dE/dout = out - o
def delta(out, target):
    return (out - target) * out * (1 - out)


ws.claim(76, "0.082167041", lambda u, t, h: delta(u, t) * h, out_o1, o1, out_h1, kind="derivative")
w5_new = ws.claim(80, "0.35891648", lambda w, u, t, h: w - eta.value * delta(u, t) * h, w5, out_o1, o1, out_h1,
                  kind="update")


def hidden_grad(k, u1, t1, u2, t2, h):
    """dE/dnet_hk = (delta_o1 w_{o1,hk} + delta_o2 w_{o2,hk}) out_hk (1 - out_hk), w_{o,h} from w5..w8."""
    back = delta(u1, t1) * (w5.value if k == 1 else w6.value) + delta(u2, t2) * (w7.value if k == 1 else w8.value)
    return back * h * (1 - h)


outs = (out_o1, o1, out_o2, o2)
ws.claim(106, "0.149780716", lambda w, x, *r: w - eta.value * hidden_grad(1, *r) * x, w1, i1, *outs, out_h1,
         kind="update")
ws.claim(106, "0.19956143", lambda w, x, *r: w - eta.value * hidden_grad(1, *r) * x, w2, i2, *outs, out_h1,
         kind="update")
b1_new = ws.claim(106, "0.3450265",
                  lambda b, u1, t1, u2, t2, h1, h2: b - eta.value * (hidden_grad(1, u1, t1, u2, t2, h1)
                                                                     + hidden_grad(2, u1, t1, u2, t2, h2)),
                  b1, *outs, out_h1, out_h2, kind="update",
                  note="b1 feeds both hidden neurons: dE/db1 = 0.0087714 + 0.0099543, b1+ = 0.35 - 0.5 x 0.0187256")
ws.claim(107, "0.24975114", lambda w, x, *r: w - eta.value * hidden_grad(2, *r) * x, w3, i1, *outs, out_h2,
         kind="update")
ws.claim(107, "0.29950229", lambda w, x, *r: w - eta.value * hidden_grad(2, *r) * x, w4, i2, *outs, out_h2,
         kind="update")
ws.restate(107, "0.3450265", b1_new)
ws.restate(108, "0.35891648", w5_new)
ws.claim(108, "0.408666186", lambda w, u, t, h: w - eta.value * delta(u, t) * h, w6, out_o1, o1, out_h2,
         kind="update")
b2_new = ws.claim(108, "0.511301270",
                  lambda b, u1, t1, u2, t2: b - eta.value * (delta(u1, t1) + delta(u2, t2)), b2, *outs,
                  kind="update", note="dE/db2 = delta_o1 + delta_o2 = 0.1384986 - 0.0380982; this is w7+'s value")
ws.claim(109, "0.511301270", lambda w, u, t, h: w - eta.value * delta(u, t) * h, w7, out_o2, o2, out_h1,
         kind="update")
ws.claim(109, "0.561370121", lambda w, u, t, h: w - eta.value * delta(u, t) * h, w8, out_o2, o2, out_h2,
         kind="update")
ws.restate(109, "0.511301270", b2_new)

EXPECTED_ERRORS = [
    (106, "0.3450265", "update"), (107, "0.3450265", "consistent"),
    (108, "0.511301270", "update"), (109, "0.511301270", "consistent"),
]

if __name__ == "__main__":
    ws.main(EXPECTED_ERRORS, header='''# Back Propagation notes (howcasperwhat/howcasperwhat.github.io), whole file: the Mazur example with its biases updated.
tolerance_note = "Printed to 8-9 decimals; half a unit of the last digit of what the printed operands give. The learning rate is never printed: w5+ = 0.35891648 implies eta = 0.5 (0.4 - 0.5 x 0.082167041), used for every update. Weights are right; both updated biases are wrong, and each is written twice (the second time carried forward)."''')
