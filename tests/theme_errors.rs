//! A broken template is reported once, at the file that failed (the site's
//! override or the built-in file) and its line, however many pages use it;
//! several syntax errors are all shown in one run.
mod common;

use common::{output_text, ArticleSpec, Fixture, SITE_YAML};

const TODAY: &str = "2026-11-23";

fn site_with_theme(files: &[(&str, &str)]) -> Fixture {
    let site = Fixture::with_config(&format!("{SITE_YAML}theme: mine\n"), common::CALENDAR_YAML);
    for i in 0..5 {
        site.article(&ArticleSpec::new(&format!("a{i}"), &format!("文章{i}")));
    }
    for (path, text) in files {
        site.write(&format!("themes/mine/{path}"), text);
    }
    site
}

#[test]
fn an_override_error_names_the_override_once_with_its_line() {
    let site = site_with_theme(&[(
        "templates/article.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ article.title }}</h1>\n<p>{{ article.no_such_field }}</p>\n{% endblock content %}\n",
    )]);
    for args in [
        &["build", "--as-of", TODAY][..],
        &["check", "--as-of", TODAY],
    ] {
        let out = site.run(args);
        let text = output_text(&out);
        assert_ne!(out.status.code(), Some(0), "{args:?}: {text}");
        assert_eq!(
            text.matches("error[template]").count(),
            1,
            "{args:?}: reported once\n{text}"
        );
        assert!(text.contains("article.no_such_field"), "{text}");
        assert!(
            text.contains("themes/mine/templates/article.html:4"),
            "{args:?}: the override, at line 4\n{text}"
        );
        assert!(
            !text.contains("themes/default/templates/article.html"),
            "{text}"
        );
        assert!(text.contains("(on 5 pages)"), "{text}");
    }
}

#[test]
fn an_error_in_a_built_in_file_names_it_and_how_to_eject_it() {
    // The override includes a built-in file that needs a variable article
    // pages do not have: the built-in file is named, with how to eject it.
    let site = site_with_theme(&[(
        "templates/404.html",
        "{% extends \"base.html\" %}\n{% block content %}{% include \"robots.txt\" %}{% endblock content %}\n",
    )]);
    let out = site.run(&["build", "--as-of", TODAY]);
    let text = output_text(&out);
    assert_ne!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains("themes/default/templates/robots.txt"),
        "{text}"
    );
    assert!(
        text.contains("healthpress theme eject templates/robots.txt"),
        "{text}"
    );

    let site = site_with_theme(&[
        ("templates/term.html", "{% if %}\n"),
        ("templates/taxonomy.html", "fine\n{{ oops \n"),
    ]);
    let out = site.run(&["build", "--as-of", TODAY]);
    let text = output_text(&out);
    assert_ne!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("themes/mine/templates/term.html:1"), "{text}");
    // An unclosed `{{` is found where the file ends.
    assert!(
        text.contains("themes/mine/templates/taxonomy.html:3"),
        "{text}"
    );
    assert!(text.contains("syntax error: expected"), "{text}");
}
