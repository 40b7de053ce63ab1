//! Every integration test in one binary (as ripgrep and xsv do): one link instead of
//! one per file, and helpers (`common`) shared without copies. Each module is one
//! feature; `common::Scratch` is the small work-directory helper they use.

mod common;

mod amend;
mod audit;
mod books;
mod cells;
mod codes;
mod conformance;
mod errors;
mod excel;
mod fastpath;
mod formats;
mod lang;
mod layers;
mod negotiate;
mod obligations;
mod profiles;
mod project;
mod properties;
mod quota;
mod samples;
mod samples_part3;
mod serve;
mod shared;
mod statement;
mod trust;
mod trust2;
mod ytd;
