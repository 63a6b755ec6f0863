"""Admin: the verdict scale (see the annotate issue)."""
