"""The spreadsheet round trip: designers edit translations and descriptors in xlsx or CSV."""

from service.spreadsheet.apply import (
    ImportPlan,
    apply_import,
    export_sheets,
    plan_import,
    render_plan,
)

__all__ = ["ImportPlan", "apply_import", "export_sheets", "plan_import", "render_plan"]
