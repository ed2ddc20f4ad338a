"""Framework changes, by domain noun. Each verb owns its transaction and writes an audit
entry. versions: import_framework, load_builtin_frameworks, publish_version, start_draft,
flex_framework; themes: add_theme, remove_theme; questions: add_question, update_question,
remove_question; documents: version_document, export_version (no writes of their own).
"""
