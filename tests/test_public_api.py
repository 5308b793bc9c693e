"""The package exports exactly its documented public names, sorted."""

import guidepdf


def test_all_is_sorted_and_importable() -> None:
    """__all__ is sorted and every name in it exists on the package."""
    assert guidepdf.__all__ == sorted(guidepdf.__all__)
    for name in guidepdf.__all__:
        assert hasattr(guidepdf, name), name


def test_round_trip_through_the_public_api() -> None:
    """load_content -> build_guide -> read_form -> plan_from_form works from the top level."""
    content = guidepdf.load_content()
    pdf = guidepdf.build_guide(content, content.role("teacher"), guidepdf.GuideOptions())
    plan = guidepdf.plan_from_form(guidepdf.read_form(pdf))
    assert plan.role == "teacher"
    assert [a.question_id for a in plan.answers] == [q.id for q in content.role("teacher")
                                                      .questions]
