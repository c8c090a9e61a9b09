"""Which non-ASCII characters of user text pdflatex can set (T1 fonts, utf8 input), and how to write the others."""
import unicodedata

from symbackprop.errors import DocumentError

# Ranges that pdflatex with \usepackage[T1]{fontenc}, [utf8]{inputenc} and lmodern sets as text, measured by
# compiling every character of U+00A0..U+024F, U+2010..U+205F, U+20A0..U+20BF and U+2100..U+21FF.
TEXT_RANGES = (
    (0x00A0, 0x00AC), (0x00AE, 0x0125), (0x0128, 0x0137), (0x0139, 0x013E), (0x0141, 0x0148),
    (0x014A, 0x0165), (0x0168, 0x017E), (0x0192, 0x0192), (0x01C4, 0x01D4), (0x01E2, 0x01E3),
    (0x01E6, 0x01EB), (0x01F0, 0x01F0), (0x01F4, 0x01F5), (0x0218, 0x021B), (0x0232, 0x0233),
    (0x0237, 0x0237), (0x2010, 0x2016), (0x2018, 0x201A), (0x201C, 0x201E), (0x2020, 0x2022),
    (0x2026, 0x2026), (0x2030, 0x2031), (0x2039, 0x203B), (0x203D, 0x203D), (0x2044, 0x2044),
    (0x204E, 0x204E), (0x2052, 0x2052), (0x20A1, 0x20A1), (0x20A4, 0x20A4), (0x20A6, 0x20A6),
    (0x20A9, 0x20A9), (0x20AB, 0x20AC), (0x20B1, 0x20B1), (0x2103, 0x2103), (0x2116, 0x2117),
    (0x211E, 0x211E), (0x2120, 0x2120), (0x2122, 0x2122), (0x2126, 0x2127), (0x212E, 0x212E),
    (0x2190, 0x2193),
)

_GREEK = ("alpha beta gamma delta varepsilon zeta eta theta iota kappa lambda mu nu xi o pi rho varsigma sigma "
          "tau upsilon varphi chi psi omega").split()
_CAPITAL_GREEK = "A B Gamma Delta E Z H Theta I K Lambda M N Xi O Pi P - Sigma T Upsilon Phi X Psi Omega".split()

# Characters set in math mode (\ensuremath works in text and in math): Greek and common math symbols.
MATH_CHARACTERS = {
    **{chr(0x03B1 + i): ("\\" + name if len(name) > 1 else name) for i, name in enumerate(_GREEK)},
    **{chr(0x0391 + i): ("\\" + name if len(name) > 1 else name) for i, name in enumerate(_CAPITAL_GREEK)
       if name != "-"},
    "\u03d1": r"\vartheta", "\u03d5": r"\phi", "\u03f5": r"\epsilon", "\u03d6": r"\varpi", "\u03f1": r"\varrho",
    "\u2200": r"\forall", "\u2202": r"\partial", "\u2203": r"\exists", "\u2205": r"\emptyset",
    "\u2207": r"\nabla", "\u2208": r"\in", "\u2209": r"\notin", "\u220f": r"\prod", "\u2211": r"\sum",
    "\u2212": "-", "\u2213": r"\mp", "\u2217": r"\ast", "\u2218": r"\circ", "\u2219": r"\bullet",
    "\u221a": r"\surd", "\u221d": r"\propto", "\u221e": r"\infty", "\u2227": r"\wedge", "\u2228": r"\vee",
    "\u2229": r"\cap", "\u222a": r"\cup", "\u222b": r"\int", "\u223c": r"\sim", "\u2243": r"\simeq",
    "\u2245": r"\cong", "\u2248": r"\approx", "\u2260": r"\neq", "\u2261": r"\equiv", "\u2264": r"\leq",
    "\u2265": r"\geq", "\u226a": r"\ll", "\u226b": r"\gg", "\u2282": r"\subset", "\u2283": r"\supset",
    "\u2286": r"\subseteq", "\u2287": r"\supseteq", "\u2295": r"\oplus", "\u2297": r"\otimes",
    "\u2299": r"\odot", "\u22a4": r"\top", "\u22a5": r"\perp", "\u22c5": r"\cdot", "\u22ef": r"\cdots",
    "\u2194": r"\leftrightarrow", "\u21a6": r"\mapsto", "\u21d0": r"\Leftarrow", "\u21d2": r"\Rightarrow",
    "\u21d4": r"\Leftrightarrow", "\u2113": r"\ell", "\u2102": r"\mathbb{C}", "\u2115": r"\mathbb{N}",
    "\u211a": r"\mathbb{Q}", "\u211d": r"\mathbb{R}", "\u2124": r"\mathbb{Z}", "\u2032": "'",
}

# Combining accents on any letter (x̂ typed as x + U+0302) become text accents.
COMBINING_ACCENTS = {"\u0300": "`", "\u0301": "'", "\u0302": "^", "\u0303": "~", "\u0304": "=", "\u0307": ".",
                     "\u0308": '"'}


def sets_as_text(char: str) -> bool:
    """True for printable ASCII and the characters of TEXT_RANGES."""
    code = ord(char)
    return 0x20 <= code < 0x7F or any(low <= code <= high for low, high in TEXT_RANGES)


def latex_characters(text: str, ascii_specials: dict) -> str:
    """User text as LaTeX: ASCII specials escaped, Greek and math symbols as \\ensuremath commands, combining
    accents as text accents; any other character raises DocumentError naming it."""
    out: list[str] = []
    for char in unicodedata.normalize("NFC", text):
        if char in ascii_specials:
            out.append(ascii_specials[char])
        elif sets_as_text(char):
            out.append(char)
        elif char in MATH_CHARACTERS:
            out.append(r"\ensuremath{" + MATH_CHARACTERS[char] + "}")
        elif char in COMBINING_ACCENTS and out and out[-1].isalpha() and len(out[-1]) == 1:
            out[-1] = "\\" + COMBINING_ACCENTS[char] + "{" + out[-1] + "}"
        else:
            name = unicodedata.name(char, "unnamed")
            snippet = text if len(text) <= 40 else text[:37] + "..."
            raise DocumentError(f"the character {char!r} (U+{ord(char):04X} {name}) in {snippet!r} has no glyph in "
                                f"the document fonts; remove it or write it another way (Greek letters, math "
                                f"symbols and Latin accents work)")
    return "".join(out)
