//! The pager over a fake transport: a seeded, randomized property test (random inbox sizes,
//! page sizes, empty pages and both cursor styles: every conversation exactly once, in order,
//! no page fetched twice), and each paging rule of GRAPH.md on its own.

mod common;

use std::cell::RefCell;

use futures_executor::block_on;
use futures_util::StreamExt;
use page_conversations::client::{Reply, Transport};
use page_conversations::options::{conversations_pager_options, OptionValue};
use page_conversations::options::PagerOptions;
use page_conversations::pager::{PageData, Pager, MAX_EMPTY_PAGES_IN_A_ROW};
use page_conversations::request::HttpRequest;
use page_conversations::response::BodyShape;
use page_conversations::{Error, Runtime};
use serde_json::json;

use common::Rng;

/// A conversation: its id and `updated_time` in epoch ms.
#[derive(Clone, Debug, PartialEq)]
struct Item(String, f64);

#[derive(Clone, Debug, Default, PartialEq)]
struct Items(Vec<Item>);

impl PageData for Items {
    fn item_count(&self) -> usize {
        self.0.len()
    }
    fn updated_time_ms(&self, index: usize) -> Option<f64> {
        self.0.get(index).map(|item| item.1)
    }
    fn truncate(&mut self, len: usize) {
        self.0.truncate(len);
    }
}

/// How the fake Graph continues a listing.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Style {
    Cursors,
    LinksOnly,
    Mixed,
}

/// A seeded world: the inbox, newest first, and the sizes of the pages Graph serves (0 = an
/// empty page that still has a next page).
struct FakeGraph {
    items: Vec<Item>,
    plan: Vec<usize>,
    style: Style,
    /// Misbehaviour: the next link repeats the request's own cursor from this page on.
    repeat_from: Option<usize>,
    requests: RefCell<Vec<String>>,
}

impl FakeGraph {
    fn random(seed: u64) -> FakeGraph {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let size = match seed % 17 {
            0 => 0,
            1 => 1,
            _ => rng.below(700) as usize,
        };
        let mut time = 1_763_630_930_000.0;
        let items = (0..size)
            .map(|index| {
                time -= 1000.0 * (1 + rng.below(3600)) as f64;
                Item(format!("t_{seed}_{index}"), time)
            })
            .collect();
        let max_page = 1 + rng.below(60) as usize;
        let mut plan = Vec::new();
        let mut left = size;
        loop {
            let empties = if rng.below(4) == 0 {
                rng.below(MAX_EMPTY_PAGES_IN_A_ROW as u64 - 1)
            } else {
                0
            };
            plan.extend(std::iter::repeat_n(0, empties as usize));
            let page = (1 + rng.below(max_page as u64) as usize).min(left);
            plan.push(page);
            left -= page;
            if left == 0 {
                break;
            }
        }
        let style = [Style::Cursors, Style::LinksOnly, Style::Mixed][rng.below(3) as usize];
        FakeGraph {
            items,
            plan,
            style,
            repeat_from: None,
            requests: RefCell::new(Vec::new()),
        }
    }

    /// Which page of the plan a request asks for, from its cursor (`after=cN` or `__paging_token=pN`).
    fn page_index(url: &str) -> usize {
        let query = url.split_once('?').map_or("", |(_, query)| query);
        form_urlencoded::parse(query.as_bytes())
            .find_map(|(name, value)| match name.as_ref() {
                "after" => value.strip_prefix('c').map(|n| n.parse().unwrap()),
                "__paging_token" => value.strip_prefix('p').map(|n| n.parse().unwrap()),
                _ => None,
            })
            .unwrap_or(0)
    }

    fn answer(&self, url: &str) -> (BodyShape, Items) {
        let index = Self::page_index(url);
        let start: usize = self.plan.iter().take(index).sum();
        let size = self.plan[index];
        let data = Items(self.items[start..start + size].to_vec());
        let is_last = index + 1 == self.plan.len();
        let next_index = match self.repeat_from {
            Some(from) if index >= from => index,
            _ => index + 1,
        };
        let links_only = match self.style {
            Style::Cursors => false,
            Style::LinksOnly => true,
            Style::Mixed => index % 2 == 1,
        };
        let base = "https://graph.facebook.com/v25.0/1/conversations?access_token=SECRET&limit=25";
        let mut paging = if links_only {
            json!({})
        } else {
            json!({"cursors": {"before": format!("c{index}"), "after": format!("c{next_index}")}})
        };
        if !is_last {
            paging["next"] = if links_only {
                json!(format!("{base}&until=1&__paging_token=p{next_index}"))
            } else {
                json!(format!("{base}&after=c{next_index}"))
            };
        }
        let shape = BodyShape::Object {
            error: None,
            paging: Some(paging),
            data_is_array: true,
        };
        (shape, data)
    }
}

impl Transport for &FakeGraph {
    type Data = Items;
    type Json = serde_json::Value;

    async fn get(&self, request: &HttpRequest, _timeout_ms: u32) -> Result<Reply<Items>, Error> {
        self.requests.borrow_mut().push(request.url.clone());
        assert!(self.requests.borrow().len() < 10_000, "the pager spins");
        let (shape, data) = self.answer(&request.url);
        Ok(Reply {
            status: 200,
            usage: None,
            shape,
            data: Some(data),
        })
    }
    async fn sleep(&self, _ms: u64) {}
    fn random(&self) -> f64 {
        0.0
    }
    fn now_ms(&self) -> f64 {
        0.0
    }
}

fn options(extra: &[(&'static str, OptionValue)]) -> PagerOptions {
    let extra = extra.to_vec();
    let source = move |name: &str| match extra.iter().find(|(n, _)| *n == name) {
        Some((_, value)) => value.clone(),
        None => match name {
            "pageId" => OptionValue::Text("1".into()),
            "accessToken" => OptionValue::Text("SECRET".into()),
            "requestsPerSecond" => OptionValue::Number(0.0),
            _ => OptionValue::Absent,
        },
    };
    conversations_pager_options(&source, Runtime::default()).unwrap()
}

fn run(graph: &FakeGraph, options: PagerOptions) -> (Vec<Vec<Item>>, Option<Error>) {
    let mut pager = Pager::new(graph, options);
    let mut pages = Vec::new();
    loop {
        match block_on(pager.next_page()) {
            Ok(Some(page)) => pages.push(page.data.0),
            Ok(None) => return (pages, None),
            Err(error) => return (pages, Some(error)),
        }
    }
}

#[test]
fn randomized_inboxes_are_read_completely_exactly_once_in_order() {
    let (mut conversations, mut requests, mut empty_pages) = (0, 0, 0);
    for seed in 0..500 {
        let graph = FakeGraph::random(seed);
        let (pages, error) = run(&graph, options(&[]));
        assert_eq!(error, None, "seed {seed}");
        let yielded: Vec<Item> = pages.iter().flatten().cloned().collect();
        assert_eq!(yielded, graph.items, "seed {seed} ({:?})", graph.style);
        assert!(
            pages.iter().all(|page| !page.is_empty()),
            "seed {seed}: an empty page was yielded"
        );
        assert_eq!(
            graph.requests.borrow().len(),
            graph.plan.len(),
            "seed {seed}: pages fetched twice or skipped"
        );
        assert!(
            graph
                .requests
                .borrow()
                .iter()
                .all(|url| url.matches("access_token").count() == 0),
            "header token"
        );
        conversations += yielded.len();
        requests += graph.plan.len();
        empty_pages += graph.plan.iter().filter(|&&size| size == 0).count();
    }
    eprintln!("500 seeds: {conversations} conversations, {requests} requests, {empty_pages} empty pages skipped");
}

#[test]
fn the_stream_api_is_the_same_pager() {
    for seed in [3, 5, 8] {
        let graph = FakeGraph::random(seed);
        let pages: Vec<_> = block_on(Pager::new(&graph, options(&[])).into_stream().collect::<Vec<_>>());
        let yielded: Vec<Item> = pages.into_iter().flat_map(|page| page.unwrap().data.0).collect();
        assert_eq!(yielded, graph.items);
    }
}

fn fixed(plan: Vec<usize>, style: Style) -> FakeGraph {
    let total = plan.iter().sum();
    let items = (0..total)
        .map(|i| Item(format!("t_{i}"), 1_000_000.0 - i as f64 * 1000.0))
        .collect();
    FakeGraph {
        items,
        plan,
        style,
        repeat_from: None,
        requests: RefCell::new(Vec::new()),
    }
}

#[test]
fn too_many_empty_pages_in_a_row_is_a_paging_error_not_a_loop() {
    let limit = MAX_EMPTY_PAGES_IN_A_ROW as usize;
    let graph = fixed([vec![2], vec![0; limit], vec![3]].concat(), Style::Cursors);
    let (pages, error) = run(&graph, options(&[]));
    assert_eq!(pages.len(), 1);
    assert!(matches!(error, Some(Error::Paging { .. })), "{error:?}");
    assert_eq!(graph.requests.borrow().len(), 1 + limit);

    let graph = fixed([vec![0; limit - 1], vec![3]].concat(), Style::LinksOnly);
    let (pages, error) = run(&graph, options(&[]));
    assert_eq!((pages.len(), error), (1, None), "nine empty pages in a row are skipped");
}

#[test]
fn a_repeated_cursor_is_a_paging_error_at_once() {
    for style in [Style::Cursors, Style::LinksOnly] {
        let mut graph = fixed(vec![2, 2, 2, 2], style);
        graph.repeat_from = Some(1);
        let (pages, error) = run(&graph, options(&[]));
        assert!(matches!(error, Some(Error::Paging { .. })), "{style:?}: {error:?}");
        assert_eq!(
            pages.len(),
            1,
            "{style:?}: the page whose next cursor repeats is not yielded"
        );
        assert_eq!(graph.requests.borrow().len(), 2);
    }
}

#[test]
fn the_last_pages_after_cursor_is_never_followed() {
    let graph = fixed(vec![2, 2], Style::Cursors);
    let (pages, error) = run(&graph, options(&[]));
    assert_eq!((pages.len(), error), (2, None));
    assert_eq!(graph.requests.borrow().len(), 2);
}

#[test]
fn max_pages_and_max_items_stop_and_trim() {
    let graph = fixed(vec![3, 0, 3, 3, 3], Style::Cursors);
    let (pages, _) = run(&graph, options(&[("maxPages", OptionValue::Number(2.0))]));
    assert_eq!(
        pages.iter().map(Vec::len).collect::<Vec<_>>(),
        vec![3, 3],
        "empty pages are not counted"
    );
    assert_eq!(graph.requests.borrow().len(), 3);

    let graph = fixed(vec![3, 3, 3], Style::Cursors);
    let (pages, _) = run(&graph, options(&[("maxItems", OptionValue::Number(5.0))]));
    assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), vec![3, 2]);
    assert_eq!(graph.requests.borrow().len(), 2);

    let graph = fixed(vec![3, 3, 3], Style::Cursors);
    let (pages, _) = run(&graph, options(&[("maxItems", OptionValue::Number(6.0))]));
    assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), vec![3, 3]);
    assert_eq!(graph.requests.borrow().len(), 2, "no request past maxItems");
}

#[test]
fn updated_since_stops_at_the_first_older_item_without_fetching_further() {
    let graph = fixed(vec![3, 3, 3], Style::Cursors);
    // Items are 1_000_000 - i * 1000: item 4 is at 996_000.
    let since = [
        OptionValue::Number(996_500.0),
        OptionValue::Date(996_500.0),
        OptionValue::Text("1970-01-01T00:16:36.500Z".into()),
        OptionValue::Text("1970-01-01T00:16:36.500+0000".into()),
    ];
    for value in since {
        graph.requests.borrow_mut().clear();
        let (pages, error) = run(&graph, options(&[("updatedSince", value.clone())]));
        assert_eq!(error, None);
        let ids: Vec<String> = pages.iter().flatten().map(|item| item.0.clone()).collect();
        assert_eq!(ids, ["t_0", "t_1", "t_2", "t_3"], "{value:?}");
        assert_eq!(graph.requests.borrow().len(), 2);
    }
    let (pages, _) = run(&graph, options(&[("updatedSince", OptionValue::Number(2_000_000.0))]));
    assert!(pages.is_empty(), "nothing newer: nothing yielded");
}

#[test]
fn updated_since_adds_updated_time_to_fields() {
    let with_fields = |fields: &str| {
        let options = options(&[
            ("updatedSince", OptionValue::Number(0.0)),
            ("fields", OptionValue::Text(fields.into())),
        ]);
        options.request.fields.unwrap()
    };
    assert_eq!(with_fields("id,snippet"), "id,snippet,updated_time");
    assert_eq!(with_fields("id,updated_time"), "id,updated_time");
    assert_eq!(
        with_fields("id,messages{updated_time}"),
        "id,messages{updated_time},updated_time"
    );
    let without = options(&[("updatedSince", OptionValue::Number(0.0))]);
    assert_eq!(
        without.request.fields, None,
        "Graph's default fields include updated_time"
    );
}

#[test]
fn pager_options_are_checked() {
    let refused = |pairs: &[(&'static str, OptionValue)]| {
        let pairs = pairs.to_vec();
        let source = move |name: &str| match pairs.iter().find(|(n, _)| *n == name) {
            Some((_, value)) => value.clone(),
            None => match name {
                "pageId" => OptionValue::Text("1".into()),
                "accessToken" => OptionValue::Text("SECRET".into()),
                _ => OptionValue::Absent,
            },
        };
        match conversations_pager_options(&source, Runtime::default()) {
            Err(Error::InvalidOptions { option, .. }) => option,
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(refused(&[("before", OptionValue::Text("B".into()))]), "before");
    assert_eq!(refused(&[("maxPages", OptionValue::Number(0.0))]), "maxPages");
    assert_eq!(refused(&[("maxItems", OptionValue::Number(1.5))]), "maxItems");
    assert_eq!(
        refused(&[("requestsPerSecond", OptionValue::Number(-1.0))]),
        "requestsPerSecond"
    );
    assert_eq!(
        refused(&[("requestsPerSecond", OptionValue::Number(f64::NAN))]),
        "requestsPerSecond"
    );
    assert_eq!(
        refused(&[("updatedSince", OptionValue::Text("yesterday".into()))]),
        "updatedSince"
    );
    assert_eq!(
        refused(&[("updatedSince", OptionValue::Date(f64::NAN))]),
        "updatedSince"
    );
    assert_eq!(refused(&[("updatedSince", OptionValue::Bool(true))]), "updatedSince");
}
