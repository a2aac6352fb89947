//! Editorial output (internal; may show drafts): the schedule view, the review
//! dashboard and the iCalendar feeds, written into `editorial/` through their
//! own staging folder. Nothing here ever writes into `public/`.
//!
//! ```text
//! editorial/editorial.css
//! editorial/schedule/index.html          today's month, all gaps and risks
//! editorial/schedule/YYYY-MM/index.html  every month of the window
//! editorial/review/index.html            review dashboard
//! editorial/calendar.ics                 everything
//! editorial/calendar-<segment>.ics       one per newsletter segment
//! ```

mod changed;
pub mod ics;
pub mod labels;
pub mod review;
pub mod schedule;

use tera::Context;

use crate::diagnostics::Diagnostic;
use crate::model::schedule::review::ReviewQueues;
use crate::model::schedule::Schedule;
use crate::model::Site;
use crate::output::Writer;
use crate::render::changes::Edit;
use crate::render::index::Index;
use crate::render::renderer::{Folder, Part, Rendered, Renderer, Scope};
use crate::render::theme::Theme;
use labels::Labels;

/// The editorial views: schedule, review dashboard and calendar feeds, into
/// `editorial/`. They list every article, drafts included, so an edit can
/// touch many of their files; they are re-rendered in full, but only when a
/// changed article differs in something they show ([`changed::may_change`]).
pub struct EditorialViews;

impl Renderer for EditorialViews {
    fn name(&self) -> &'static str {
        "editorial"
    }

    fn folder(&self) -> Folder {
        Folder::Editorial
    }

    fn depends_on(&self) -> &'static [Part] {
        &[Part::AnyArticle, Part::Config, Part::Calendar, Part::Theme]
    }

    fn affected_by(&self, edit: &Edit, index: &Index) -> bool {
        let diff = edit.diff;
        changed::may_change(
            edit.old,
            index.site,
            diff.public.iter().chain(&diff.private),
        )
    }

    fn render(&self, index: &Index, _scope: &Scope, out: &dyn Writer) -> Rendered {
        render_editorial(index.site, index.theme, out)
    }
}

/// Renders every editorial file into `out`.
fn render_editorial(site: &Site, theme: &Theme, out: &dyn Writer) -> Rendered {
    let schedule = Schedule::build(site);
    let queues = ReviewQueues::build(site);
    let labels = Labels::new(site, theme);
    let mut problems = Vec::new();
    let mut pages = 0;
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();

    match theme.render("editorial/editorial.css", &Context::new()) {
        Ok(css) => files.push(("editorial.css".into(), css.into_bytes())),
        Err(d) => problems.push(d),
    }
    match schedule::pages(site, theme, &labels, &schedule) {
        Ok(found) => {
            pages += found.len();
            files.extend(found.into_iter().map(|(p, h)| (p, h.into_bytes())));
        }
        Err(d) => problems.push(d),
    }
    match review::page(site, theme, &labels, &queues) {
        Ok(html) => {
            pages += 1;
            files.push(("review/index.html".into(), html.into_bytes()));
        }
        Err(d) => problems.push(d),
    }
    for (path, text) in ics::feeds(site, &labels, &schedule) {
        files.push((path, text.into_bytes()));
    }
    let mut rendered = Rendered {
        pages,
        problems,
        counts: vec![("gaps", schedule.gaps.len())],
        ..Rendered::default()
    };
    for (path, bytes) in files {
        match out.write(&path, &bytes) {
            Ok(()) => rendered.files.push(path),
            Err(e) => rendered.problems.push(Diagnostic::error(
                "output",
                format!("editorial/{path}"),
                e.to_string(),
            )),
        }
    }
    rendered
}
