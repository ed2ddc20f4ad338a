"""Framework changes, by domain noun. Each verb owns its transaction and writes an audit
entry. versions: import_framework, load_builtin_frameworks, publish_version, start_draft,
flex_framework; drafts: update_details, move, discard_draft; themes: add_theme, update_theme,
remove_theme; questions: add_question, update_question, remove_question; options:
save_option, remove_option; documents: version_document, export_version (no writes of their
own).
"""
