"""POST /api/v1/evaluate/: the evaluation contract over HTTP (400 with the field on bad input)."""
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.exceptions import ParseError
from rest_framework.response import Response
from rest_framework.views import APIView

from .engine import InputError, RuleSetError, evaluate
from .rulesets import active_rules_dir


class EvaluateView(APIView):
    """Evaluate one contract document under the rules in force (published edits included). Any
    signed-in user may use it: it reads no stored data."""

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
        examples=[OpenApiExample("du-heart", value={"program": "du-heart", "as_of": "2022-02-01",
                                                     "student": {"student_no": "1", "admission_year": 2021},
                                                     "entries": []})],
    )
    def post(self, request):
        try:
            data = request.data
        except ParseError as error:  # malformed, too large or too deeply nested JSON
            return Response({"error": str(error.detail), "field": "input"}, status=400)
        if not isinstance(data, dict):
            return Response({"error": "input: expected a JSON object", "field": "input"}, status=400)
        try:
            return Response(evaluate(dict(data), rules_dir=active_rules_dir()))
        except InputError as error:
            return Response({"error": str(error), "field": error.field}, status=400)
        except RuleSetError as error:
            return Response({"error": str(error)}, status=500)
