//! The `formula` rule's expression language, evaluated in exact rational arithmetic.
//!
//! Expressions are parsed and type-checked when the configuration is loaded, so a typo
//! is reported with its column before any record is read. Evaluation is exact (no
//! rounding anywhere); `if`, `and` and `or` are lazy, so an untaken branch may divide by
//! zero without harm. Numbers and truth values never mix, and comparisons do not chain
//! (`a < b < c` is a syntax error rather than a silent surprise).

use crate::msg;
use crate::num::Ratio;
use num_traits::{One, Zero};
use std::fmt;

/// A parse or type error at a character column (1-based) of the expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormulaError {
    pub column: usize,
    /// What is wrong, with its own code (E07…).
    pub message: crate::i18n::Msg,
}

impl FormulaError {
    /// The expression with a caret under the offending column, for error messages.
    pub fn caret(&self, source: &str) -> String {
        format!(
            "    {source}\n    {}^",
            " ".repeat(self.column.saturating_sub(1))
        )
    }
}

impl FormulaError {
    /// The message for a user: where (column, and the caret under `source`) and what,
    /// under the code of what is wrong.
    pub fn at(&self, source: &str) -> crate::i18n::Msg {
        crate::i18n::Msg {
            code: self.message.code,
            text: format!("{self}\n{}", self.caret(source)),
        }
    }
}

impl fmt::Display for FormulaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}",
            msg!("E0701", column = self.column, message = self.message.text)
        )
    }
}

/// Variables an expression can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Var {
    Year,
    Month,
    Amount,
    Ytd,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    And,
    Or,
}

/// A type-checked expression tree.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Num(Ratio),
    Var(Var),
    Neg(Box<Expr>),
    Not(Box<Expr>),
    Bin(BinOp, Box<Expr>, Box<Expr>, usize),
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    Min(Vec<Expr>),
    Max(Vec<Expr>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ty {
    Num,
    Bool,
}

/// Values of the variables for one cell.
#[derive(Debug, Clone)]
pub struct Env {
    /// Year index from the anchor (≥ 1); `None` when the rule has no anchor.
    pub year: Option<u32>,
    pub month: u32,
    /// The cell's shareable amount T, in the metric's unit.
    pub amount: Ratio,
    /// Σ T of the earlier periods of the same calendar year, in the metric's unit.
    pub ytd: Ratio,
}

/// A run-time evaluation failure (division by zero, missing anchor).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvalError(pub crate::i18n::Msg);

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(Ratio),
    Ident(String),
    Op(&'static str),
    LParen,
    RParen,
    Comma,
    End,
}

struct Lexer {
    toks: Vec<(Tok, usize)>,
}

fn lex(src: &str) -> Result<Lexer, FormulaError> {
    let chars: Vec<char> = src.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let col = i + 1;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            if i < chars.len() && chars[i] == '.' {
                i += 1;
                if i >= chars.len() || !chars[i].is_ascii_digit() {
                    return Err(FormulaError {
                        column: i + 1,
                        message: msg!("E0702"),
                    });
                }
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
            }
            if i < chars.len() && (chars[i].is_alphabetic() || chars[i] == '_') {
                return Err(FormulaError {
                    column: i + 1,
                    message: msg!("E0703"),
                });
            }
            let text: String = chars[start..i].iter().collect();
            let value = crate::num::parse_ratio(&text).map_err(|e| FormulaError {
                column: col,
                message: msg!("E0104", text = text, reason = e),
            })?;
            toks.push((Tok::Num(value), col));
            continue;
        }
        if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            toks.push((Tok::Ident(chars[start..i].iter().collect()), col));
            continue;
        }
        let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
        let op2 = ["<=", ">=", "==", "!="].into_iter().find(|o| *o == two);
        if let Some(op) = op2 {
            toks.push((Tok::Op(op), col));
            i += 2;
            continue;
        }
        let tok = match c {
            '+' => Tok::Op("+"),
            '-' => Tok::Op("-"),
            '*' => Tok::Op("*"),
            '/' => Tok::Op("/"),
            '<' => Tok::Op("<"),
            '>' => Tok::Op(">"),
            '=' => Tok::Op("=="),
            '(' => Tok::LParen,
            ')' => Tok::RParen,
            ',' => Tok::Comma,
            _ => {
                return Err(FormulaError {
                    column: col,
                    message: msg!("E0704", char = c),
                });
            }
        };
        toks.push((tok, col));
        i += 1;
    }
    toks.push((Tok::End, chars.len() + 1));
    Ok(Lexer { toks })
}

struct Parser {
    toks: Vec<(Tok, usize)>,
    pos: usize,
    /// Nesting of parentheses, unary signs and `not` so far: bounded, so that no
    /// formula can exhaust the stack (an agreement's formula is a line, not a book).
    depth: usize,
}

/// At most this many tokens in a formula, and this deep a nesting.
const MAX_TOKENS: usize = 500;
const MAX_DEPTH: usize = 64;

type PResult = Result<(Expr, Ty), FormulaError>;

fn err<T>(column: usize, message: crate::i18n::Msg) -> Result<T, FormulaError> {
    Err(FormulaError { column, message })
}

impl Parser {
    fn peek(&self) -> &Tok {
        &self.toks[self.pos].0
    }
    fn col(&self) -> usize {
        self.toks[self.pos].1
    }
    fn bump(&mut self) -> (Tok, usize) {
        let t = self.toks[self.pos].clone();
        if self.pos + 1 < self.toks.len() {
            self.pos += 1;
        }
        t
    }
    fn is_word(&self, w: &str) -> bool {
        matches!(self.peek(), Tok::Ident(s) if s == w)
    }
    fn expect_ty(&self, got: Ty, want: Ty, col: usize, what: &str) -> Result<(), FormulaError> {
        if got == want {
            return Ok(());
        }
        err(
            col,
            match want {
                Ty::Num => msg!("E0705", what = what),
                Ty::Bool => msg!("E0706", what = what),
            },
        )
    }

    fn or(&mut self) -> PResult {
        let col = self.col();
        let (mut lhs, mut ty) = self.and()?;
        while self.is_word("or") {
            let opcol = self.col();
            self.bump();
            self.expect_ty(ty, Ty::Bool, col, "'or'")?;
            let rcol = self.col();
            let (rhs, rty) = self.and()?;
            self.expect_ty(rty, Ty::Bool, rcol, "'or'")?;
            lhs = Expr::Bin(BinOp::Or, Box::new(lhs), Box::new(rhs), opcol);
            ty = Ty::Bool;
        }
        Ok((lhs, ty))
    }

    fn and(&mut self) -> PResult {
        let col = self.col();
        let (mut lhs, mut ty) = self.not()?;
        while self.is_word("and") {
            let opcol = self.col();
            self.bump();
            self.expect_ty(ty, Ty::Bool, col, "'and'")?;
            let rcol = self.col();
            let (rhs, rty) = self.not()?;
            self.expect_ty(rty, Ty::Bool, rcol, "'and'")?;
            lhs = Expr::Bin(BinOp::And, Box::new(lhs), Box::new(rhs), opcol);
            ty = Ty::Bool;
        }
        Ok((lhs, ty))
    }

    /// One level deeper, or the formula is refused at `col`.
    fn deeper(&mut self, col: usize) -> Result<(), FormulaError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return err(col, msg!("E0726", max = MAX_DEPTH));
        }
        Ok(())
    }

    fn not(&mut self) -> PResult {
        if self.is_word("not") {
            let c = self.col();
            self.deeper(c)?;
            self.bump();
            let col = self.col();
            let (e, ty) = self.not()?;
            self.expect_ty(ty, Ty::Bool, col, "'not'")?;
            self.depth -= 1;
            return Ok((Expr::Not(Box::new(e)), Ty::Bool));
        }
        self.cmp()
    }

    fn cmp_op(&self) -> Option<BinOp> {
        match self.peek() {
            Tok::Op("<") => Some(BinOp::Lt),
            Tok::Op("<=") => Some(BinOp::Le),
            Tok::Op(">") => Some(BinOp::Gt),
            Tok::Op(">=") => Some(BinOp::Ge),
            Tok::Op("==") => Some(BinOp::Eq),
            Tok::Op("!=") => Some(BinOp::Ne),
            _ => None,
        }
    }

    fn cmp(&mut self) -> PResult {
        let col = self.col();
        let (lhs, ty) = self.add()?;
        if let Some(op) = self.cmp_op() {
            let opcol = self.col();
            self.bump();
            self.expect_ty(ty, Ty::Num, col, crate::i18n::t("formula.comparison"))?;
            let rcol = self.col();
            let (rhs, rty) = self.add()?;
            self.expect_ty(rty, Ty::Num, rcol, crate::i18n::t("formula.comparison"))?;
            if self.cmp_op().is_some() {
                return err(self.col(), msg!("E0707"));
            }
            return Ok((Expr::Bin(op, Box::new(lhs), Box::new(rhs), opcol), Ty::Bool));
        }
        Ok((lhs, ty))
    }

    fn add(&mut self) -> PResult {
        let col = self.col();
        let (mut lhs, ty) = self.mul()?;
        loop {
            let op = match self.peek() {
                Tok::Op("+") => BinOp::Add,
                Tok::Op("-") => BinOp::Sub,
                _ => return Ok((lhs, ty)),
            };
            let opcol = self.col();
            self.bump();
            self.expect_ty(ty, Ty::Num, col, "'+' and '-'")?;
            let rcol = self.col();
            let (rhs, rty) = self.mul()?;
            self.expect_ty(rty, Ty::Num, rcol, "'+' and '-'")?;
            lhs = Expr::Bin(op, Box::new(lhs), Box::new(rhs), opcol);
        }
    }

    fn mul(&mut self) -> PResult {
        let col = self.col();
        let (mut lhs, ty) = self.unary()?;
        loop {
            let op = match self.peek() {
                Tok::Op("*") => BinOp::Mul,
                Tok::Op("/") => BinOp::Div,
                _ => return Ok((lhs, ty)),
            };
            let opcol = self.col();
            self.bump();
            self.expect_ty(ty, Ty::Num, col, "'*' and '/'")?;
            let rcol = self.col();
            let (rhs, rty) = self.unary()?;
            self.expect_ty(rty, Ty::Num, rcol, "'*' and '/'")?;
            lhs = Expr::Bin(op, Box::new(lhs), Box::new(rhs), opcol);
        }
    }

    fn unary(&mut self) -> PResult {
        if matches!(self.peek(), Tok::Op("-")) {
            let c = self.col();
            self.deeper(c)?;
            self.bump();
            let col = self.col();
            let (e, ty) = self.unary()?;
            self.expect_ty(ty, Ty::Num, col, "'-'")?;
            self.depth -= 1;
            return Ok((Expr::Neg(Box::new(e)), Ty::Num));
        }
        self.primary()
    }

    fn args(&mut self, name: &str, fcol: usize) -> Result<Vec<(Expr, Ty, usize)>, FormulaError> {
        // The opening parenthesis was consumed by the caller.
        let mut out = Vec::new();
        if matches!(self.peek(), Tok::RParen) {
            return err(self.col(), msg!("E0708", name = name));
        }
        loop {
            let col = self.col();
            let (e, ty) = self.or()?;
            out.push((e, ty, col));
            match self.bump() {
                (Tok::Comma, _) => continue,
                (Tok::RParen, _) => return Ok(out),
                (_, c) => {
                    return err(c, msg!("E0709", name = name, column = fcol));
                }
            }
        }
    }

    fn primary(&mut self) -> PResult {
        let (tok, col) = self.bump();
        match tok {
            Tok::Num(v) => Ok((Expr::Num(v), Ty::Num)),
            Tok::LParen => {
                self.deeper(col)?;
                let r = self.or()?;
                self.depth -= 1;
                match self.bump() {
                    (Tok::RParen, _) => Ok(r),
                    (_, c) => err(c, msg!("E0710", column = col)),
                }
            }
            Tok::Ident(name) => {
                let is_call = matches!(self.peek(), Tok::LParen);
                if is_call {
                    self.bump();
                    self.deeper(col)?;
                    let args = self.args(&name, col)?;
                    self.depth -= 1;
                    return match name.as_str() {
                        "if" => {
                            if args.len() != 3 {
                                return err(col, msg!("E0711", found = args.len()));
                            }
                            let mut it = args.into_iter();
                            let (c, cty, ccol) = it.next().ok_or_else(|| FormulaError {
                                column: col,
                                message: msg!("E0711", found = 3),
                            })?;
                            let (a, aty, _) = it.next().ok_or_else(|| FormulaError {
                                column: col,
                                message: msg!("E0711", found = 3),
                            })?;
                            let (b, bty, bcol) = it.next().ok_or_else(|| FormulaError {
                                column: col,
                                message: msg!("E0711", found = 3),
                            })?;
                            self.expect_ty(
                                cty,
                                Ty::Bool,
                                ccol,
                                crate::i18n::t("formula.condition"),
                            )?;
                            if aty != bty {
                                return err(bcol, msg!("E0712"));
                            }
                            Ok((Expr::If(Box::new(c), Box::new(a), Box::new(b)), aty))
                        }
                        "min" | "max" => {
                            let mut es = Vec::new();
                            for (e, ty, c) in args {
                                self.expect_ty(ty, Ty::Num, c, &format!("{name}()"))?;
                                es.push(e);
                            }
                            Ok((
                                if name == "min" {
                                    Expr::Min(es)
                                } else {
                                    Expr::Max(es)
                                },
                                Ty::Num,
                            ))
                        }
                        _ => err(col, msg!("E0713", name = name)),
                    };
                }
                let var = match name.as_str() {
                    "year" => Var::Year,
                    "month" => Var::Month,
                    "amount" => Var::Amount,
                    "ytd" => Var::Ytd,
                    "and" | "or" | "not" => {
                        return err(col, msg!("E0714", name = name));
                    }
                    "if" | "min" | "max" => {
                        return err(col, msg!("E0715", name = name));
                    }
                    _ => {
                        return err(col, msg!("E0716", name = name));
                    }
                };
                Ok((Expr::Var(var), Ty::Num))
            }
            Tok::End => err(col, msg!("E0717")),
            Tok::RParen => err(col, msg!("E0718", token = ")")),
            Tok::Comma => err(col, msg!("E0718", token = ",")),
            Tok::Op(o) => err(col, msg!("E0718", token = o)),
        }
    }
}

/// Parse and type-check an expression that must yield a number (a ratio).
pub fn parse(src: &str) -> Result<Expr, FormulaError> {
    let lexer = lex(src)?;
    if lexer.toks.len() > MAX_TOKENS {
        return err(1, msg!("E0727", count = lexer.toks.len(), max = MAX_TOKENS));
    }
    let mut p = Parser {
        toks: lexer.toks,
        pos: 0,
        depth: 0,
    };
    if matches!(p.peek(), Tok::End) {
        return err(1, msg!("E0719"));
    }
    let (e, ty) = p.or()?;
    if !matches!(p.peek(), Tok::End) {
        return err(p.col(), msg!("E0720"));
    }
    if ty != Ty::Num {
        return err(1, msg!("E0721"));
    }
    Ok(e)
}

impl Expr {
    /// True if the expression reads `var` anywhere.
    pub fn uses(&self, var: Var) -> bool {
        match self {
            Expr::Num(_) => false,
            Expr::Var(v) => *v == var,
            Expr::Neg(e) | Expr::Not(e) => e.uses(var),
            Expr::Bin(_, a, b, _) => a.uses(var) || b.uses(var),
            Expr::If(c, a, b) => c.uses(var) || a.uses(var) || b.uses(var),
            Expr::Min(es) | Expr::Max(es) => es.iter().any(|e| e.uses(var)),
        }
    }

    /// Evaluate to a number.
    pub fn eval(&self, env: &Env) -> Result<Ratio, EvalError> {
        match self.value(env)? {
            Val::Num(r) => Ok(r),
            Val::Bool(_) => Err(EvalError(msg!("E0722"))),
        }
    }

    fn num(&self, env: &Env) -> Result<Ratio, EvalError> {
        self.eval(env)
    }

    fn truth(&self, env: &Env) -> Result<bool, EvalError> {
        match self.value(env)? {
            Val::Bool(b) => Ok(b),
            Val::Num(_) => Err(EvalError(msg!("E0723"))),
        }
    }

    fn value(&self, env: &Env) -> Result<Val, EvalError> {
        let one = || Ratio::one();
        Ok(match self {
            Expr::Num(r) => Val::Num(r.clone()),
            Expr::Var(v) => Val::Num(match v {
                Var::Year => match env.year {
                    Some(y) => Ratio::from_integer(y.into()),
                    None => {
                        return Err(EvalError(msg!("E0725")));
                    }
                },
                Var::Month => Ratio::from_integer(env.month.into()),
                Var::Amount => env.amount.clone(),
                Var::Ytd => env.ytd.clone(),
            }),
            Expr::Neg(e) => Val::Num(-e.num(env)?),
            Expr::Not(e) => Val::Bool(!e.truth(env)?),
            Expr::If(c, a, b) => {
                if c.truth(env)? {
                    a.value(env)?
                } else {
                    b.value(env)?
                }
            }
            Expr::Min(es) | Expr::Max(es) => {
                let mut best: Option<Ratio> = None;
                for e in es {
                    let v = e.num(env)?;
                    best = Some(match best {
                        None => v,
                        Some(b) => {
                            let take = if matches!(self, Expr::Min(_)) {
                                v < b
                            } else {
                                v > b
                            };
                            if take { v } else { b }
                        }
                    });
                }
                Val::Num(best.unwrap_or_else(one))
            }
            Expr::Bin(op, a, b, col) => match op {
                BinOp::And => Val::Bool(a.truth(env)? && b.truth(env)?),
                BinOp::Or => Val::Bool(a.truth(env)? || b.truth(env)?),
                _ => {
                    let x = a.num(env)?;
                    let y = b.num(env)?;
                    match op {
                        BinOp::Add => Val::Num(x + y),
                        BinOp::Sub => Val::Num(x - y),
                        BinOp::Mul => Val::Num(x * y),
                        BinOp::Div => {
                            if y.is_zero() {
                                return Err(EvalError(msg!("E0724", column = col)));
                            }
                            Val::Num(x / y)
                        }
                        BinOp::Lt => Val::Bool(x < y),
                        BinOp::Le => Val::Bool(x <= y),
                        BinOp::Gt => Val::Bool(x > y),
                        BinOp::Ge => Val::Bool(x >= y),
                        BinOp::Eq => Val::Bool(x == y),
                        BinOp::Ne => Val::Bool(x != y),
                        BinOp::And | BinOp::Or => Val::Bool(false),
                    }
                }
            },
        })
    }
}

enum Val {
    Num(Ratio),
    Bool(bool),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::num::parse_ratio;

    fn env(year: u32, ytd: &str) -> Env {
        Env {
            year: Some(year),
            month: 3,
            amount: parse_ratio("1000").unwrap(),
            ytd: parse_ratio(ytd).unwrap(),
        }
    }

    #[test]
    fn evaluates_exactly() {
        let e = parse("if(year <= 5, 0.7, 0.5)").unwrap();
        assert_eq!(e.eval(&env(5, "0")).unwrap(), parse_ratio("0.7").unwrap());
        assert_eq!(e.eval(&env(6, "0")).unwrap(), parse_ratio("0.5").unwrap());
        let e = parse("1 / 3 + 1 / 6").unwrap();
        assert_eq!(e.eval(&env(1, "0")).unwrap(), parse_ratio("0.5").unwrap());
        let e = parse("min(0.6, 0.4 + ytd / 10000000)").unwrap();
        assert_eq!(
            e.eval(&env(1, "1000000")).unwrap(),
            parse_ratio("0.5").unwrap()
        );
        assert_eq!(
            e.eval(&env(1, "9000000")).unwrap(),
            parse_ratio("0.6").unwrap()
        );
    }

    #[test]
    fn lazy_branches_do_not_divide_by_zero() {
        let e = parse("if(ytd = 0, 0.5, 1 / ytd)").unwrap();
        assert_eq!(e.eval(&env(1, "0")).unwrap(), parse_ratio("0.5").unwrap());
        let e = parse("1 / ytd").unwrap();
        assert!(e.eval(&env(1, "0")).is_err());
    }

    #[test]
    fn malformed_expressions_point_at_the_column() {
        let cases = [
            ("if(year <= 5, 0.7)", 1),
            ("0.7 +", 6),
            ("(0.5", 5),
            ("yeer * 0.1", 1),
            ("1 < 2 < 3", 7),
            ("0.5 and 0.2", 1),
            ("1e3", 2),
            ("0.5 $ 2", 5),
            ("if(1, 0.5, 0.5)", 4),
            ("", 1),
        ];
        for (src, col) in cases {
            let e = parse(src).expect_err(src);
            assert_eq!(e.column, col, "{src}: {e}");
        }
    }
}
