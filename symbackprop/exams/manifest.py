"""manifest.json: the seed, the normalized spec, and per variant its drawn values and asked answers."""
import json

from symbackprop.exams.variants import Variant
from symbackprop.exams.config import ExamConfig, exam_to_dict
from symbackprop.model.points import values_point
from symbackprop.model.spec import Spec, spec_to_dict


def manifest_spec(spec: Spec, config: ExamConfig) -> dict:
    """The normalized spec a grader needs: network, effective training and the full [exam] table (no [values])."""
    data = spec_to_dict(spec)
    data.pop("values", None)
    t = config.training
    data["training"] = {"learning_rate": t.learning_rate, "momentum": t.momentum, "steps": t.steps}
    if not t.update_biases:
        data["training"]["update_biases"] = False
    data["exam"] = exam_to_dict(config)
    return data


def drawn_values(spec: Spec, variant: Variant) -> dict[str, float]:
    """x[i], y[k], W{l}[i][j], b{l}[j] of a variant, named as quantities."""
    return values_point(spec.network, variant.values)


def answer_entry(config: ExamConfig, variant: Variant, name: str) -> dict:
    """One asked answer: value, abs_tol (the policy's tolerance of this question), rel_tol 0, points, and the
    decimals (and significant figures, or null) the question asks for."""
    asked = variant.precision(name)
    return {"value": variant.numbers[name], "abs_tol": asked.tolerance, "rel_tol": 0.0,
            "points": config.points_of(name), "decimals": asked.decimals, "significant": asked.significant}


def variant_entry(spec: Spec, config: ExamConfig, variant: Variant) -> dict:
    """One variant: id, seed, values, answers {name: {value, abs_tol, rel_tol, points, decimals, significant}}."""
    answers = {q: answer_entry(config, variant, q) for q in config.questions}
    return {"id": variant.id, "seed": variant.seed, "values": drawn_values(spec, variant), "answers": answers}


def build_manifest(spec: Spec, config: ExamConfig, seed: int, variants: list[Variant]) -> dict:
    """The whole manifest as plain data."""
    return {"seed": seed, "spec": manifest_spec(spec, config),
            "variants": [variant_entry(spec, config, v) for v in variants]}


def manifest_json(manifest: dict) -> str:
    """The manifest as deterministic JSON text."""
    return json.dumps(manifest, indent=1, ensure_ascii=False) + "\n"
