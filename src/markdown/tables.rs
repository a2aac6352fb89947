//! Table cell markup. pulldown-cmark writes column alignment as
//! `style="text-align: ..."`, which a strict Content-Security-Policy
//! (`style-src 'self'`) blocks and which the sanitizer would have to allow;
//! we emit `align-left|center|right` classes instead, styled by
//! `syntax_css()`. The rest of the table (rows, head, body) is still written
//! by pulldown-cmark.

use pulldown_cmark::Alignment;

#[derive(Default)]
pub(crate) struct Table {
    alignments: Vec<Alignment>,
    cell: usize,
    head: bool,
}

impl Table {
    pub fn start(&mut self, alignments: &[Alignment]) {
        self.alignments.clear();
        self.alignments.extend_from_slice(alignments);
    }

    pub fn start_head(&mut self) {
        self.head = true;
        self.cell = 0;
    }

    pub fn end_head(&mut self) {
        self.head = false;
    }

    pub fn start_row(&mut self) {
        self.cell = 0;
    }

    pub fn open_cell(&self) -> &'static str {
        match (self.head, self.alignments.get(self.cell)) {
            (true, Some(Alignment::Left)) => "<th class=\"align-left\">",
            (true, Some(Alignment::Center)) => "<th class=\"align-center\">",
            (true, Some(Alignment::Right)) => "<th class=\"align-right\">",
            (true, _) => "<th>",
            (false, Some(Alignment::Left)) => "<td class=\"align-left\">",
            (false, Some(Alignment::Center)) => "<td class=\"align-center\">",
            (false, Some(Alignment::Right)) => "<td class=\"align-right\">",
            (false, _) => "<td>",
        }
    }

    pub fn close_cell(&mut self) -> &'static str {
        self.cell += 1;
        if self.head {
            "</th>"
        } else {
            "</td>"
        }
    }
}
