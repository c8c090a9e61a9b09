"""The catalogue of common backpropagation mistakes: one entry each, a transformation of a correct local rule."""
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

import sympy

from symbackprop.model import symbols
from symbackprop.model.derivation import product
from symbackprop.model.quantities import Quantity
from symbackprop.model.chain_graph import ChainGraph as Rules

MAX_SITES = 120  # nodes, nearest the claimed quantity first, where a mistake is looked for


@dataclass(frozen=True)
class Texts:
    """How one language speaks of a mistake: a short name, a description, and a hint for the student."""

    name: str
    description: str
    hint: str


@dataclass(frozen=True)
class Mistake:
    """A mistake: its id, its words in each language, and the wrong rules it makes of one node's correct rule."""

    id: str
    wrong_rules: Callable[[Rules, str, Quantity], dict[str, sympy.Expr]]  # variant key -> wrong rule
    texts: dict[str, Texts]  # language code -> Texts (en always; another language falls back to en)
    rounding: tuple[int, ...] = ()  # a mistake in the numbers, not a rule: intermediates rounded to these decimals

    @property
    def description(self) -> str:
        """What the mistake is, in English."""
        return self.texts["en"].description

    def text(self, lang: str, kind: str) -> str:
        """Its name, description or hint in a language (English when the language has none)."""
        return getattr(self.texts.get(lang) or self.texts["en"], kind)


@dataclass(frozen=True)
class Candidate:
    """One way to have made a mistake: the nodes whose rules it swaps, and the swapped-in rules."""

    mistake: str
    mutation: dict


# -- the transformations ---------------------------------------------------------------------------
@lru_cache(maxsize=65536)
def _parsed(symbol):
    """symbols.parse_symbol, remembered (the same symbols recur in every rule)."""
    return symbols.parse_symbol(symbol)


def _s(rules: Rules, name: str) -> sympy.Symbol:
    return rules.symbol[name]


def _local_dropped(rules, name, q):
    """dy/dv -> 1; δ = ∂L/∂y × ∂y/∂v -> ∂L/∂y."""
    n = rules.names
    if q.kind == "dy/dv" and q.indices[0] == q.indices[1]:
        return {"": sympy.Integer(1)}
    if q.kind == "dL/dv":
        return {"": _s(rules, n.d_act(q.layer, q.indices[0]))}
    return {}


def _activation_for_derivative(rules, name, q):
    """dy/dv -> g(v); δ -> ∂L/∂y × g(v)."""
    n = rules.names
    if q.kind == "dy/dv" and q.indices[0] == q.indices[1]:
        return {"": _s(rules, n.act(q.layer, q.indices[0]))}
    if q.kind == "dL/dv":
        j = q.indices[0]
        return {"": product(_s(rules, n.d_act(q.layer, j)), _s(rules, n.act(q.layer, j)))}
    return {}


def loss_scales(n_out: int) -> list[sympy.Rational]:
    """Factors that drop or double 2, ½, N or 2/N: 2, ½, N, 1/N, N/2, 2/N (without 1)."""
    n = sympy.Integer(n_out)
    found = []
    for factor in (sympy.Integer(2), sympy.Rational(1, 2), n, 1 / n, n / 2, 2 / n):
        if factor != 1 and factor not in found:
            found.append(factor)
    return found


def _loss_scaled(rules, name, q):
    """∂L/∂ŷ, l_k and L times a wrong constant."""
    output = q.kind == "dL/dy" and q.layer == rules.network.output_layer
    if not (output or q.kind in ("l", "L")):
        return {}
    return {f"x{factor}": factor * rules.rule[name] for factor in loss_scales(rules.network.layers[-1])}


def _sign_flipped(rules, name, q):
    """∂L/∂ŷ with (y - ŷ) written (ŷ - y)."""
    if q.kind == "dL/dy" and q.layer == rules.network.output_layer:
        return {"": -rules.rule[name]}
    return {}


def _transposed(rules, name, q):
    """w_{i,j} read as w_{j,i} in a sum, a factor, a gradient or a copied weight (square enough to exist)."""
    net, n = rules.network, rules.names

    def swap(layer, i, j):
        if j >= net.fan_in(layer) or i >= net.width(layer):
            return None
        return symbols.weight(layer, j, i)

    def swapped_rule(layer):
        mapping = {}
        for symbol in rules.rule[name].free_symbols:
            parsed = _parsed(symbol)
            if parsed and parsed.kind == "weight" and parsed.indices[0] == layer:
                other = swap(*parsed.indices)
                if other is None:
                    return {}
                mapping[symbol] = other
        wrong = rules.rule[name].xreplace(mapping)
        return {"": wrong} if mapping else {}

    if q.step is not None:
        return {}
    if q.kind == "v":
        return swapped_rule(q.layer)
    if q.kind == "dL/dy" and q.layer < net.output_layer:
        return swapped_rule(q.layer + 1)
    i, j = q.indices if q.kind in ("W", "dv/dW", "dL/dW") else (0, 0)
    if i == j or j >= net.fan_in(q.layer) or i >= net.width(q.layer):
        return {}
    if q.kind == "W":
        return {"": _s(rules, n.weight(q.layer, j, i))}
    if q.kind == "dv/dW":
        return {"": rules.derivation.inputs_of(q.layer)[j]}
    if q.kind == "dL/dW":
        return {"": product(_s(rules, n.d_v(q.layer, i)), _s(rules, n.dv_weight(q.layer, j, i)))}
    return {}


def _sum_dropped(rules, name, q):
    """∂L/∂y^l_j = Σ_k δ^{l+1}_k w_{j,k} with one term kept; a softmax δ with only its diagonal term."""
    net, n = rules.network, rules.names
    if q.kind == "dL/dy" and q.layer < net.output_layer and net.width(q.layer + 1) > 1:
        nxt = q.layer + 1
        return {f"k{k}": product(symbols.delta(nxt, k), symbols.weight(nxt, q.indices[0], k))
                for k in range(net.width(nxt))}
    if q.kind == "dL/dv" and not rules.derivation.activations[q.layer].elementwise:
        j = q.indices[0]
        return {"diag": product(_s(rules, n.d_act(q.layer, j)), _s(rules, n.local(q.layer, j, j)))}
    return {}


def _preactivation(rules, name, q):
    """y^l_j = g(v^l_j) replaced by v^l_j: in the rule that makes it, or wherever a rule reads it."""
    if q.kind == "act":
        return {"": symbols.preactivation(q.layer, q.indices[0])}
    mapping = {}
    for symbol in rules.rule.get(name, sympy.Integer(0)).free_symbols:
        parsed = _parsed(symbol)
        if parsed and parsed.kind == "activation":
            mapping[symbol] = symbols.preactivation(*parsed.indices)
    return {"": rules.rule[name].xreplace(mapping)} if mapping else {}


def _no_rule(rules, name, q):
    """A mistake made in the numbers, not in a rule."""
    return {}


def _update_skipped(rules, name, q):
    """w after the step -> w before it."""
    if q.step is None or name not in rules.rule:
        return {}
    return {"": rules.symbol[name.partition(".")[2]]}


def _update_reversed(rules, name, q):
    """w - η ∂L/∂w -> w + η ∂L/∂w (twice the parameter minus the correct update)."""
    if q.step is None or name not in rules.rule:
        return {}
    return {"": 2 * rules.symbol[name.partition(".")[2]] - rules.rule[name]}


def _derivative_at_output(rules, name, q):
    """g'(v) -> g'(y): the derivative's formula evaluated at the unit's output (σ(ŷ)(1 − σ(ŷ)) for ŷ(1 − ŷ))."""
    if q.kind not in ("dy/dv", "dL/dv") or not rules.derivation.activations[q.layer].elementwise:
        return {}
    j = q.indices[0]
    if q.kind == "dy/dv" and q.indices[1] != j:
        return {}
    entry, options = rules.derivation.activations[q.layer], rules.derivation.options
    output = symbols.activation(q.layer, j)
    at_output = entry.derivative(output, entry.expression(output, **options), **options)
    if q.kind == "dy/dv":
        return {"": at_output}
    return {"": product(_s(rules, rules.names.d_act(q.layer, j)), at_output)}


MISTAKES: dict[str, Mistake] = {m.id: m for m in [
    Mistake("missing_activation_derivative", _local_dropped, {
        "en": Texts(
            name="g'(v) missing",
            description="the activation's derivative g'(v) is missing from the chain",
            hint="The chain misses the activation's derivative g'(v): multiply by ∂y/∂v (for the sigmoid, y(1−y)).",
        ),
        "pt-BR": Texts(
            name="falta g'(v)",
            description="falta na cadeia a derivada da função de ativação g'(v)",
            hint="Falta na cadeia a derivada da ativação g'(v): multiplique por ∂y/∂v (na sigmoide, y(1−y)).",
        ),
    }),
    Mistake("activation_instead_of_derivative", _activation_for_derivative, {
        "en": Texts(
            name="g(v) for g'(v)",
            description="the activation g(v) is used where its derivative g'(v) belongs",
            hint="You used the activation g(v) where its derivative g'(v) belongs (for the sigmoid, y(1−y), not y).",
        ),
        "pt-BR": Texts(
            name="g(v) no lugar de g'(v)",
            description="a função de ativação g(v) foi usada no lugar da sua derivada g'(v)",
            hint="Você usou a ativação g(v) no lugar da sua derivada g'(v) (na sigmoide, y(1−y), não y).",
        ),
    }),
    Mistake("loss_scale", _loss_scaled, {
        "en": Texts(
            name='loss constant',
            description="the loss's constant (2/N, 1/N or 1/2) is dropped or doubled",
            hint="Check the loss's constant: 2/N, 1/N or 1/2 is dropped or doubled.",
        ),
        "pt-BR": Texts(
            name='constante da função de erro',
            description='a constante da função de erro (2/N, 1/N ou 1/2) foi omitida ou duplicada',
            hint='Confira a constante da função de erro: 2/N, 1/N ou 1/2 foi omitida ou dobrada.',
        ),
    }),
    Mistake("sign_flipped", _sign_flipped, {
        "en": Texts(
            name='sign of (y − ŷ)',
            description='the sign of (y - ŷ) is flipped',
            hint='Check the sign: ∂L/∂ŷ has −(y − ŷ), that is (ŷ − y).',
        ),
        "pt-BR": Texts(
            name='sinal de (y − ŷ)',
            description='o sinal de (y - ŷ) foi trocado',
            hint='Confira o sinal: ∂L/∂ŷ tem −(y − ŷ), ou seja, (ŷ − y).',
        ),
    }),
    Mistake("index_transposed", _transposed, {
        "en": Texts(
            name='w indices swapped',
            description="a weight's indices are transposed (w_{j,i} for w_{i,j})",
            hint="A weight's indices are swapped: w_{i,j} joins unit i of the layer before to unit j.",
        ),
        "pt-BR": Texts(
            name='índices de w trocados',
            description='os índices de um peso foram trocados (w_{j,i} no lugar de w_{i,j})',
            hint='Os índices de um peso estão trocados: w_{i,j} liga a unidade i da camada anterior à unidade j.',
        ),
    }),
    Mistake("missing_sum", _sum_dropped, {
        "en": Texts(
            name='sum over k dropped',
            description="the sum over the next layer's units is dropped (one term kept)",
            hint='Sum over every unit of the next layer: ∂L/∂y_j = Σ_k δ_k w_{j,k}.',
        ),
        "pt-BR": Texts(
            name='soma sobre k omitida',
            description='a soma sobre as unidades da camada seguinte foi omitida (só um termo)',
            hint='Some sobre todas as unidades da camada seguinte: ∂L/∂y_j = Σ_k δ_k w_{j,k}.',
        ),
    }),
    Mistake("preactivation_for_activation", _preactivation, {
        "en": Texts(
            name='v for y = g(v)',
            description='the pre-activation v is used where the activation y = g(v) belongs',
            hint='You used the net input v where the activation y = g(v) belongs.',
        ),
        "pt-BR": Texts(
            name='v no lugar de y = g(v)',
            description='a entrada líquida v foi usada no lugar da ativação y = g(v)',
            hint='Você usou a entrada líquida v no lugar da ativação y = g(v).',
        ),
    }),
    Mistake("rounded_early", _no_rule, {
        "en": Texts(
            name='rounded too early',
            description='an intermediate value is rounded to too few decimals before the next step',
            hint='An intermediate was rounded too early: keep at least 4 decimals in every step and round only '
                 'the answer.',
        ),
        "pt-BR": Texts(
            name='arredondamento precoce',
            description='um valor intermediário foi arredondado com poucas casas decimais antes do passo seguinte',
            hint='Um valor intermediário foi arredondado cedo demais: mantenha ao menos 4 casas decimais em cada '
                 'passo e arredonde só a resposta.',
        ),
    }, rounding=(1, 2, 3)),
    Mistake("update_not_applied", _update_skipped, {
        "en": Texts(
            name='update not applied',
            description='the parameter after the training step is given as it was before the update',
            hint='This is the parameter before the step: apply the update w − η ∂L/∂w.',
        ),
        "pt-BR": Texts(
            name='atualização não aplicada',
            description='o parâmetro depois do passo de treinamento foi dado como era antes da atualização',
            hint='Este é o parâmetro antes do passo: aplique a atualização w − η ∂L/∂w.',
        ),
    }),
    Mistake("derivative_at_output", _derivative_at_output, {
        "en": Texts(
            name="g'(y) for g'(v)",
            description="the activation's derivative is evaluated at the output y instead of the net input v",
            hint="g' is evaluated at v, not at y: for the sigmoid ∂y/∂v = y(1−y), not σ(y)(1−σ(y)).",
        ),
        "pt-BR": Texts(
            name="g'(y) no lugar de g'(v)",
            description='a derivada da ativação foi calculada na saída y em vez da entrada líquida v',
            hint="g' é calculada em v, não em y: na sigmoide ∂y/∂v = y(1−y), não σ(y)(1−σ(y)).",
        ),
    }),
    Mistake("update_sign", _update_reversed, {
        "en": Texts(
            name='sign of the update',
            description='the update adds the gradient (w + η ∂L/∂w) instead of subtracting it',
            hint='Gradient descent subtracts the gradient: w − η ∂L/∂w.',
        ),
        "pt-BR": Texts(
            name='sinal da atualização',
            description='a atualização soma o gradiente (w + η ∂L/∂w) em vez de subtraí-lo',
            hint='A descida do gradiente subtrai o gradiente: w − η ∂L/∂w.',
        ),
    }),
]}


class Candidates:
    """The catalogued mistakes at the nodes of one graph, each node's computed once and shared by every claim."""

    def __init__(self, rules, graph):
        self.rules, self.graph = rules, graph
        self._table = rules.names.table
        self._singles: dict = {}
        self._lists: dict = {}
        self._by_kind: dict = {}
        for node in graph.order:
            q = self._table.get(node)
            if q is not None:
                self._by_kind.setdefault((q.kind, q.layer), []).append(node)
                self._by_kind.setdefault((q.kind,), []).append(node)

    def _quantity(self, node: str) -> Quantity | None:
        """The parsed quantity of a node: a named one, or a parameter after the training step."""
        q = self._table.get(node)
        if q is None and node in self.rules.rule and self.rules.training is not None:
            q = self.rules.kind(node)
        return q

    def _wrong(self, node: str) -> list[tuple[str, str, sympy.Expr]]:
        """(mistake id, variant key, wrong rule) for every mistake made at one node, in catalogue order."""
        found = self._singles.get(node)
        if found is None:
            q, found = self._quantity(node), []
            if q is not None:
                own = self.rules.rule.get(node, self.rules.symbol[node])
                for mistake in MISTAKES.values():
                    for key, wrong in mistake.wrong_rules(self.rules, node, q).items():
                        if wrong != own:
                            found.append((mistake.id, key, wrong))
            self._singles[node] = found
        return found

    def _groups(self, group_key, inside, fixed):
        """The mistakes made at every node of a kind (in one layer, or in all) that reaches the claim."""
        nodes = [node for node in self._by_kind.get(group_key, ()) if node in inside]
        if any(node in fixed for node in nodes):
            return  # a node of the group was claimed by the author: the systematic mistake would show there
        if len(nodes) < 2 or (len(group_key) == 1 and len({self._table[node].layer for node in nodes}) == 1):
            return  # one node is a single mistake; one layer is the layer's group
        mutations: dict = {}
        for node in nodes:
            for mistake_id, key, wrong in self._wrong(node):
                mutations.setdefault((mistake_id, key), {})[node] = wrong
        order = list(MISTAKES)
        for (mistake_id, key), mutation in sorted(mutations.items(), key=lambda item: order.index(item[0][0])):
            if len(mutation) > 1:
                yield Candidate(mistake_id, mutation)

    def near_list(self, name: str, fixed=frozenset()) -> list[Candidate]:
        """near() as a list, remembered for the same quantity and claimed nodes (a class repeats them)."""
        key = (name, fixed)
        found = self._lists.get(key)
        if found is None:
            found = self._lists[key] = list(self.near(name, fixed))
        return found

    def near(self, name: str, fixed=frozenset()):
        """Every way one catalogued mistake reaches `name`, nearest first: at each node breadth-first from `name`
        (MAX_SITES of them), the mistake made there alone, then at every node of its kind (in its layer, then in all).
        Nodes in `fixed` (claimed by the author) keep their claimed value, so a mistake there cannot reach it."""
        inside = self.graph.ancestry_set(name)
        kinds_seen: set = set()
        for node in self.graph.nearest_first(name, MAX_SITES):
            if node != name and node in fixed:
                continue
            for mistake_id, _, wrong in self._wrong(node):
                yield Candidate(mistake_id, {node: wrong})
            q = self._table.get(node)
            if q is None:
                continue
            for group_key in ((q.kind, q.layer), (q.kind,)):
                if group_key not in kinds_seen:
                    kinds_seen.add(group_key)
                    yield from self._groups(group_key, inside, fixed)
