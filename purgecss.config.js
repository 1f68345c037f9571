// Bootstrap trimmed to the rules our pages use: `make css` writes static/css/build/bootstrap.min.css
// (committed; .ci/run builds it again and fails when the two differ). Issue 21.
// PurgeCSS keeps a rule when a class, id or tag of its selector appears as a word in the content.
module.exports = {
  css: ["static/vendor/bootstrap/bootstrap.min.css"],
  content: [
    "templates/**/*.html",
    "static/js/**/*.js",
    // Class names set in Python (the crispy layouts), and the tags the guide's Markdown may become.
    "directory/outreach/forms.py",
    "articles/rendering.py",
    // The fields crispy-forms draws on the ask and report pages.
    ".venv/lib/python3*/site-packages/crispy_bootstrap5/templates/bootstrap5/{whole_uni_form,display_form,errors,field}.html",
    ".venv/lib/python3*/site-packages/crispy_bootstrap5/templates/bootstrap5/layout/{attrs,baseinput,div,field_errors,field_errors_block,help_text,help_text_and_errors,radio_checkbox_select}.html",
  ],
  safelist: {
    standard: [
      // Django's own markup: forms drawn without crispy, error lists.
      "errorlist", "helptext",
    ],
    // alert-{{ message.tags }} in base.html: success, info, warning, danger.
    greedy: [/^alert-/],
  },
  // Custom properties no kept rule reads (most of Bootstrap's :root) go too.
  variables: true,
};
