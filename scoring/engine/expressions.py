"""Safe condition expressions for rule files.

A rule file writes conditions such as::

    entry.role in ['first', 'corresponding']
    student.flags.leave_2021 and entry.date < date('2021-03-01')
    listed(entry.name, 'national_exam_names')

They are parsed with Python's `ast` (mode 'eval') and compiled to closures over a small
whitelist of node types; nothing is ever passed to `eval`/`exec`. Anything outside the
whitelist (attribute access on non-data, imports, lambdas, comprehensions, dunder names,
unknown functions, unknown root names) is refused when the rule file loads.

Semantics are chosen so that a condition never crashes on missing data:
`x.y` on a missing value is `None`; ordering comparisons with `None` or with values of
different types are false; arithmetic with `None` gives `None`. `and`/`or` return their
operand like Python's, so `entry.team_size or 1` gives a default.
"""
from __future__ import annotations

import ast
import datetime as _dt
import functools
import re
from decimal import Decimal
from typing import Any, Callable

from .errors import ExpressionError

Compiled = Callable[[dict], Any]

# Root names an expression may read; each is a key of the evaluation context.
ROOTS = frozenset(
    {"entry", "student", "as_of", "fact", "table", "row", "value", "total", "balance",
     "points_by_area", "item"}
)
_CONSTS = {"True": True, "true": True, "False": False, "false": False, "None": None, "null": None}


# ---------------------------------------------------------------- helpers used by functions
_GRADE_TAIL = re.compile(r"(\d+|[a-z])급$")
_STRIP = re.compile(r"[\s()\[\]·・,._+\-]+")


@functools.lru_cache(maxsize=8192)
def _norm(s: str) -> str:
    return _STRIP.sub("", s).casefold()


def norm(s: Any) -> str:
    """Normalise a name for matching: case-folded, without spaces, brackets or punctuation."""
    if s is None:
        return ""
    return _norm(s if type(s) is str else str(s))


def norm_grade(grade: Any) -> str:
    """'1' → '1급', '1급' → '1급', 'A' → 'a급'; '' stays ''. Levels like 'Master' stay words."""
    g = norm(grade)
    if not g:
        return ""
    if g.endswith("급"):
        return g
    if g.isdigit() or (len(g) == 1 and g.isalpha()):
        return g + "급"
    return g


@functools.lru_cache(maxsize=8192)
def _cert_name(n: str) -> str:
    return _GRADE_TAIL.sub("", n) if len(n) > 2 else n


def cert_name(name: Any) -> str:
    """The certificate's name without a trailing grade: '컴퓨터활용능력 1급' → '컴퓨터활용능력'."""
    return _cert_name(norm(name))


def cert_key(name: Any, grade: Any = None) -> str:
    """Name and grade as one matching key: ('컴퓨터활용능력', '1') → '컴퓨터활용능력1급'."""
    n = norm(name)
    g = norm_grade(grade)
    if g and not n.endswith(g):
        return n + g
    return n


def parse_date(s: Any) -> _dt.date | None:
    if s is None:
        return None
    if isinstance(s, _dt.datetime):
        return s.date()
    if isinstance(s, _dt.date):
        return s
    return _dt.date.fromisoformat(str(s))


def add_years(d: _dt.date | None, n: int) -> _dt.date | None:
    """Same calendar day n years later; 29 February becomes 28 February."""
    if d is None or n is None:
        return None
    n = int(n)
    try:
        return d.replace(year=d.year + n)
    except ValueError:
        return d.replace(year=d.year + n, day=28)


def add_days(d, n):
    if d is None or n is None:
        return None
    return d + _dt.timedelta(days=int(n))


def days(start, end):
    """Inclusive length in days of [start, end]; None when either is missing."""
    if start is None or end is None:
        return None
    return (end - start).days + 1


def weeks(start, end):
    """Whole working weeks of [start, end] as "N주 이상" is read (issue 10 §3): the weekdays
    (Monday to Friday) from start to end inclusive, divided by 5 and rounded down. So Monday of
    week 1 to Friday of week N (7·N − 2 days) is N weeks, and any 7·N consecutive days are too
    (they hold 5·N weekdays); Thursday to the Monday 2½ weeks later (19 days, 13 weekdays) is 2.
    Public holidays are not known to the engine (the reviewer checks the evidence). None when
    either date is missing."""
    if start is None or end is None:
        return None
    n = (end - start).days + 1
    if n <= 0:
        return 0
    full, rest = divmod(n, 7)
    wd = full * 5
    first = start.weekday()  # Monday = 0
    wd += sum(1 for k in range(rest) if (first + k) % 7 < 5)
    return wd // 5


def semester_of(d: _dt.date | None):
    """Korean academic semester holding d: (academic year, 1 or 2). 1학기 = Mar–Aug, 2학기 = Sep–Feb."""
    if d is None:
        return None
    if 3 <= d.month <= 8:
        return (d.year, 1)
    if d.month >= 9:
        return (d.year, 2)
    return (d.year - 1, 2)


def semester_start(d):
    s = semester_of(d)
    if s is None:
        return None
    year, term = s
    return _dt.date(year, 3, 1) if term == 1 else _dt.date(year, 9, 1)


def semester_end(d):
    s = semester_of(d)
    if s is None:
        return None
    year, term = s
    if term == 1:
        return _dt.date(year, 8, 31)
    return _dt.date(year + 1, 3, 1) - _dt.timedelta(days=1)


def semester_label(d) -> str | None:
    s = semester_of(d)
    return None if s is None else f"{s[0]}-{s[1]}"


def _year(d):
    return None if d is None else d.year


def _len(x):
    return None if x is None else len(x)


def _min(*xs):
    xs = [x for x in xs if x is not None]
    return min(xs) if xs else None


def _max(*xs):
    xs = [x for x in xs if x is not None]
    return max(xs) if xs else None


def _lower(s):
    return None if s is None else str(s).lower()


def _str(x):
    return "" if x is None else str(x)


def _number(x):
    if x is None or isinstance(x, bool):
        return None
    if isinstance(x, (int, float, Decimal)):
        return x
    try:
        return Decimal(str(x))
    except Exception:
        return None


PURE_FUNCTIONS: dict[str, tuple[Callable, int, int]] = {
    # name: (function, min args, max args)
    "date": (parse_date, 1, 1),
    "add_years": (add_years, 2, 2),
    "add_days": (add_days, 2, 2),
    "days": (days, 2, 2),
    "weeks": (weeks, 2, 2),
    "year": (_year, 1, 1),
    "semester_start": (semester_start, 1, 1),
    "semester_end": (semester_end, 1, 1),
    "semester": (semester_label, 1, 1),
    "norm": (norm, 1, 1),
    "cert_key": (cert_key, 1, 2),
    "cert_name": (cert_name, 1, 1),
    "len": (_len, 1, 1),
    "min": (_min, 1, 9),
    "max": (_max, 1, 9),
    "lower": (_lower, 1, 1),
    "str": (_str, 1, 1),
    "number": (_number, 1, 1),
    "abs": (lambda x: None if x is None else abs(x), 1, 1),
}

# Functions whose last argument names a table of the rule set; resolved once at load time.
#   listed(x, 'names')   : norm(x) is in the list table `names`
#   alias(x, 'aliases')  : the canonical spelling of x from a mapping table, else x
TABLE_FUNCTIONS = {"listed", "alias"}

# Functions that read the evaluation state (requirements and gates): see evaluator.
CONTEXT_FUNCTIONS = {"area_points", "rule_points", "counted", "claimed", "entries"}


class _Env:
    def __init__(self, tables: dict | None, context_functions: dict | None, used: set | None):
        self.tables = tables or {}
        self.context_functions = context_functions or {}
        self.used = used if used is not None else set()


def compile_expression(src: Any, tables: dict | None = None,
                       context_functions: dict | None = None, used: set | None = None) -> Compiled:
    """Compile `src` to a function of the context dict. Raises ExpressionError.

    `used` collects the names of the tables the expression reads (`table.x`, `listed(v, 'x')`).
    """
    if isinstance(src, bool) or src is None or isinstance(src, (int, float)):
        const = src
        return lambda ctx: const
    if not isinstance(src, str):
        raise ExpressionError("expected an expression (a string)")
    # one logical line: a YAML block scalar (`>-`) keeps the newlines of more-indented lines
    text = " ".join(line.strip() for line in src.strip().splitlines())
    if not text:
        raise ExpressionError("empty expression")
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as e:
        raise ExpressionError(f"invalid expression {text!r}: {e.msg}") from None
    return _compile(tree.body, _Env(tables, context_functions, used))


def _is_const(node) -> bool:
    return isinstance(node, ast.Constant) or (
        isinstance(node, ast.Name) and node.id in _CONSTS)


def _const_value(node):
    return node.value if isinstance(node, ast.Constant) else _CONSTS[node.id]


def _coerce_pair(a, b):
    if isinstance(a, Decimal) and isinstance(b, float):
        return a, Decimal(repr(b))
    if isinstance(b, Decimal) and isinstance(a, float):
        return Decimal(repr(a)), b
    return a, b


def _arith(op):
    def f(a, b):
        if a is None or b is None:
            return None
        a, b = _coerce_pair(a, b)
        try:
            return op(a, b)
        except (TypeError, ZeroDivisionError, ArithmeticError):
            return None
    return f


_BINOPS = {
    ast.Add: _arith(lambda a, b: a + b),
    ast.Sub: _arith(lambda a, b: a - b),
    ast.Mult: _arith(lambda a, b: a * b),
    ast.Div: _arith(lambda a, b: a / b),
    ast.FloorDiv: _arith(lambda a, b: a // b),
    ast.Mod: _arith(lambda a, b: a % b),
}


def _order(op):
    def f(a, b):
        if a is None or b is None:
            return False
        a, b = _coerce_pair(a, b)
        try:
            return op(a, b)
        except TypeError:
            return False
    return f


def _contains(a, b):
    if b is None:
        return False
    try:
        return a in b
    except TypeError:
        return False


_CMPOPS = {
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
    ast.Lt: _order(lambda a, b: a < b),
    ast.LtE: _order(lambda a, b: a <= b),
    ast.Gt: _order(lambda a, b: a > b),
    ast.GtE: _order(lambda a, b: a >= b),
    ast.In: _contains,
    ast.NotIn: lambda a, b: not _contains(a, b),
    ast.Is: lambda a, b: a is b,
    ast.IsNot: lambda a, b: a is not b,
}


def _compile(node, env: _Env) -> Compiled:  # noqa: C901 - a dispatcher
    if isinstance(node, ast.Constant):
        v = node.value
        if not isinstance(v, (str, int, float, bool, type(None))):
            raise ExpressionError(f"constant {v!r} is not allowed")
        return lambda ctx: v

    if isinstance(node, ast.Name):
        if node.id in _CONSTS:
            v = _CONSTS[node.id]
            return lambda ctx: v
        if node.id not in ROOTS:
            raise ExpressionError(
                f"unknown name {node.id!r} (allowed: {', '.join(sorted(ROOTS))})")
        key = node.id
        return lambda ctx: ctx.get(key)

    if isinstance(node, ast.Attribute):
        attr = node.attr
        if attr.startswith("_"):
            raise ExpressionError(f"attribute {attr!r} is not allowed")
        # fast path for root.attr, the commonest shape
        if isinstance(node.value, ast.Name) and node.value.id in ROOTS:
            root = node.value.id
            if root == "table":
                if attr not in env.tables:
                    raise ExpressionError(f"unknown table {attr!r}")
                env.used.add(attr)

            def get_root_attr(ctx):
                try:
                    return ctx[root].get(attr)
                except (KeyError, AttributeError, TypeError):
                    return None  # missing root, None, or not a mapping
            return get_root_attr
        base = _compile(node.value, env)

        def get_attr(ctx):
            b = base(ctx)
            return b.get(attr) if isinstance(b, dict) else None
        return get_attr

    if isinstance(node, ast.Subscript):
        base = _compile(node.value, env)
        idx = _compile(node.slice, env)

        def get_item(ctx):
            b = base(ctx)
            i = idx(ctx)
            if isinstance(b, dict):
                try:
                    return b.get(i)
                except TypeError:
                    return None
            if isinstance(b, (list, tuple, str)) and isinstance(i, int) and not isinstance(i, bool):
                return b[i] if -len(b) <= i < len(b) else None
            return None
        return get_item

    if isinstance(node, ast.BoolOp):
        parts = [_compile(v, env) for v in node.values]
        if isinstance(node.op, ast.And):
            def f_and(ctx):
                v = True
                for p in parts:
                    v = p(ctx)
                    if not v:
                        return v
                return v
            return f_and

        def f_or(ctx):
            v = False
            for p in parts:
                v = p(ctx)
                if v:
                    return v
            return v
        return f_or

    if isinstance(node, ast.UnaryOp):
        operand = _compile(node.operand, env)
        if isinstance(node.op, ast.Not):
            return lambda ctx: not operand(ctx)
        if isinstance(node.op, ast.USub):
            def neg(ctx):
                v = operand(ctx)
                return None if v is None or isinstance(v, (str, bool)) else -v
            return neg
        if isinstance(node.op, ast.UAdd):
            return operand
        raise ExpressionError("operator not allowed")

    if isinstance(node, ast.BinOp):
        op = _BINOPS.get(type(node.op))
        if op is None:
            raise ExpressionError(f"operator {type(node.op).__name__} is not allowed")
        left = _compile(node.left, env)
        right = _compile(node.right, env)
        return lambda ctx: op(left(ctx), right(ctx))

    if isinstance(node, ast.Compare):
        first = _compile(node.left, env)
        ops = []
        for op_node, comp in zip(node.ops, node.comparators):
            op = _CMPOPS.get(type(op_node))
            if op is None:
                raise ExpressionError("comparison not allowed")
            ops.append((op, _compile(comp, env)))
        if len(ops) == 1:
            (op, right), = ops
            return lambda ctx: op(first(ctx), right(ctx))

        def chain(ctx):
            a = first(ctx)
            for op, right in ops:
                b = right(ctx)
                if not op(a, b):
                    return False
                a = b
            return True
        return chain

    if isinstance(node, ast.IfExp):
        test = _compile(node.test, env)
        body = _compile(node.body, env)
        orelse = _compile(node.orelse, env)
        return lambda ctx: body(ctx) if test(ctx) else orelse(ctx)

    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        if all(_is_const(e) for e in node.elts):
            values = [_const_value(e) for e in node.elts]
            const = frozenset(values) if all(isinstance(v, (str, int)) for v in values) else tuple(values)
            return lambda ctx: const
        parts = [_compile(e, env) for e in node.elts]
        return lambda ctx: tuple(p(ctx) for p in parts)

    if isinstance(node, ast.Call):
        return _compile_call(node, env)

    raise ExpressionError(f"{type(node).__name__} is not allowed in an expression")


def _compile_call(node: ast.Call, env: _Env) -> Compiled:
    if not isinstance(node.func, ast.Name):
        raise ExpressionError("only plain function calls are allowed")
    if node.keywords:
        raise ExpressionError("keyword arguments are not allowed")
    name = node.func.id
    nargs = len(node.args)

    if name in TABLE_FUNCTIONS:
        if nargs != 2 or not isinstance(node.args[1], ast.Constant) or not isinstance(node.args[1].value, str):
            raise ExpressionError(f"{name}() takes a value and a table name in quotes")
        table_name = node.args[1].value
        table = resolve_table(env.tables, table_name)
        env.used.add(table_name.split(".")[0])
        arg = _compile(node.args[0], env)
        if name == "listed":
            if not isinstance(table, list):
                raise ExpressionError(f"table {table_name!r} is not a list")
            # certificate names match through the catalogue as well: a table's '노무사' or
            # '한국사검정능력시험 1급' lists the entry's '공인노무사' or '한국사능력검정시험' 1급
            # (and a table that lists a name without grade, or a family, 'MOS', lists each grade
            # or certificate of it: certificates.wider_keys)
            from .certificates import canon_key, wider_keys
            keys = frozenset(norm(x) for x in table) | frozenset(canon_key(x) for x in table)
            return lambda ctx: (norm(v := arg(ctx)) in keys or canon_key(v) in keys
                                or any(k in keys for k in wider_keys(v)))
        if not isinstance(table, dict):
            raise ExpressionError(f"table {table_name!r} is not a mapping")
        mapping = {norm(k): v for k, v in table.items()}

        def alias(ctx):
            v = arg(ctx)
            n = norm(v)
            hit = mapping.get(n)
            if hit is not None:
                return hit
            # '그래픽기술자격 1급': alias the name, keep the grade
            base = cert_name(n)
            if base != n:
                hit = mapping.get(base)
                if hit is not None:
                    return f"{hit}{n[len(base):]}"
            return v
        return alias

    if name in CONTEXT_FUNCTIONS:
        impl = env.context_functions.get(name)
        if impl is None:
            raise ExpressionError(f"{name}() can only be used in requirements and gates")
        args = [_compile(a, env) for a in node.args]
        return lambda ctx: impl(ctx, *[a(ctx) for a in args])

    spec = PURE_FUNCTIONS.get(name)
    if spec is None:
        allowed = sorted(set(PURE_FUNCTIONS) | TABLE_FUNCTIONS | CONTEXT_FUNCTIONS)
        raise ExpressionError(f"unknown function {name!r} (allowed: {', '.join(allowed)})")
    fn, lo, hi = spec
    if not lo <= nargs <= hi:
        raise ExpressionError(f"{name}() takes {lo}..{hi} arguments, got {nargs}")
    if all(_is_const(a) for a in node.args):
        # constant folding: date('2021-03-01') is computed once
        try:
            v = fn(*[_const_value(a) for a in node.args])
        except (ValueError, TypeError) as e:
            raise ExpressionError(f"{name}(): {e}") from None
        return lambda ctx: v
    args = [_compile(a, env) for a in node.args]
    if nargs == 1:
        a0 = args[0]

        def call1(ctx):
            try:
                return fn(a0(ctx))
            except (ValueError, TypeError):
                return None
        return call1

    def call(ctx):
        try:
            return fn(*[a(ctx) for a in args])
        except (ValueError, TypeError):
            return None
    return call


def resolve_table(tables: dict, ref: str):
    """`a.b.c` → tables['a']['b']['c']; ExpressionError when missing."""
    node: Any = tables
    for part in ref.split("."):
        if not isinstance(node, dict) or part not in node:
            raise ExpressionError(f"unknown table {ref!r}")
        node = node[part]
    return node


_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")
# an expression that reads one field: its values may have names in another language
ONE_FIELD = re.compile(r"^\s*(?:entry|student|fact)\.([A-Za-z_][A-Za-z0-9_]*)\s*$")


def compile_template(text: Any, tables: dict | None = None, used: set | None = None,
                     values: dict | None = None, words: tuple[str, str] | None = None) -> Callable[[dict], str]:
    """'{entry.test} {entry.score}' → function(ctx) → 'TOEIC 705'. Placeholders are expressions.

    For another language than English: `values` maps a field to {code: shown text}, used by a
    placeholder that reads just that field (`{entry.scale}` → '전국대회(Ⅰ)'); `words` are how
    true and false print (default 'yes', 'no').
    """
    if not isinstance(text, str):
        raise ExpressionError("expected a text")
    pieces: list = []
    pos = 0
    for m in _PLACEHOLDER.finditer(text):
        if m.start() > pos:
            pieces.append(text[pos:m.start()])
        fn = compile_expression(m.group(1), tables, None, used)
        field = ONE_FIELD.match(m.group(1)) if values else None
        table = values.get(field.group(1)) if field else None
        if table is not None:
            fn = _shown_through(fn, table)
        pieces.append(fn)
        pos = m.end()
    if pos < len(text):
        pieces.append(text[pos:])
    if all(isinstance(p, str) for p in pieces):
        const = "".join(pieces)
        return lambda ctx: const
    if words is None:
        def render(ctx):
            return "".join(p if isinstance(p, str) else fmt(p(ctx)) for p in pieces)
        return render
    show = _fmt_words(*words)

    def render_words(ctx):
        # another language: a missing value prints as nothing, not '-' ('CCNA: …', not 'CCNA -: …')
        missing = False
        out = []
        for p in pieces:
            if isinstance(p, str):
                out.append(p)
                continue
            v = p(ctx)
            if v is None or v == "":
                missing = True
                continue
            out.append(show(v))
        text = "".join(out)
        return _tidy(text) if missing else text
    return render_words


_SPACES = re.compile(r"[ ]{2,}")
_SPACE_BEFORE = re.compile(r"[ ]+([:,;)])")
_EMPTY_BRACKETS = re.compile(r"[ ]?\([ ]*\)")


def _tidy(text: str) -> str:
    return _SPACE_BEFORE.sub(r"\1", _SPACES.sub(" ", _EMPTY_BRACKETS.sub("", text))).strip()


def _shown_through(fn, table: dict):
    def shown(ctx):
        v = fn(ctx)
        return table.get(v, v) if type(v) is str else v
    return shown


def _fmt_words(yes: str, no: str):
    def show(v):
        if v is True:
            return yes
        if v is False:
            return no
        return fmt(v)
    return show


def fmt(v: Any) -> str:
    """Numbers without noise: Decimal('300') → '300', 2.30 → '2.3', None → '-'."""
    t = type(v)
    if t is str:
        return v
    if t is int:
        return str(v)
    if t is Decimal and v.is_finite() and v == v.to_integral_value():
        return str(int(v))
    if v is None:
        return "-"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, Decimal):
        if v == v.to_integral_value():
            return str(v.quantize(Decimal(1)))
        return format(v.normalize(), "f")
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, (set, frozenset)):
        return ", ".join(sorted(map(str, v)))
    return str(v)
