//! Layout built-ins: positions for rows of shapes and for tables of cells.
//!
//! - `row_offsets(n, spacing)`: `n` centre offsets `spacing` apart, centred on 0 —
//!   `[-spacing, 0, spacing]` for 3 — for rows of shapes such as Olympic rings.
//! - `bands(n, total, width)`: the `n + 1` start positions `i · (total − width) / n` of
//!   evenly pitched lines of `width` that span `[0, total]` — the lines of a table.
//! - `grid_cells(rows, cols, x, y, width, height[, line])`: the boxes `[x, y, w, h]` between
//!   such lines, row-major, for a table at (x, y) of the given size whose lines are `line`
//!   thick (default 0).
//!
//! Results are lists of floats; each call pays one budget step per element.

use super::error::ExprError;
use super::eval::{State, check_list_len};
use super::functions::Args;
use super::value::Value;

type R = Result<Value, ExprError>;

/// A count argument, checked against the list-length limit before anything is allocated.
fn count(a: &Args<'_, '_>, i: usize, min: i64) -> Result<usize, ExprError> {
    let n = a.int(i)?;
    if n < min {
        let msg = format!("`{}` must be at least {min}, got {n}", a.param(i));
        return Err(a.err_at(i, msg));
    }
    let n = usize::try_from(n).map_err(|_| a.err_at(i, "count too large"))?;
    check_list_len(n.saturating_add(1), a.span)?;
    Ok(n)
}

fn floats(a: &Args<'_, '_>, st: &mut State<'_>, xs: Vec<f64>) -> R {
    check_list_len(xs.len(), a.span)?;
    st.charge_n(xs.len(), a.span)?;
    xs.into_iter()
        .map(|x| a.float(x))
        .collect::<Result<_, _>>()
        .map(Value::List)
}

pub(super) fn row_offsets(a: &Args<'_, '_>, st: &mut State<'_>) -> R {
    let n = count(a, 0, 0)?;
    let spacing = a.num(1)?;
    let mid = (n as f64 - 1.0) / 2.0;
    floats(a, st, (0..n).map(|i| (i as f64 - mid) * spacing).collect())
}

pub(super) fn bands(a: &Args<'_, '_>, st: &mut State<'_>) -> R {
    let n = count(a, 0, 1)?;
    let (total, width) = (a.num(1)?, a.num(2)?);
    let pitch = (total - width) / n as f64;
    floats(a, st, (0..=n).map(|i| i as f64 * pitch).collect())
}

pub(super) fn grid_cells(a: &Args<'_, '_>, st: &mut State<'_>) -> R {
    let (rows, cols) = (count(a, 0, 1)?, count(a, 1, 1)?);
    let (x, y, width, height) = (a.num(2)?, a.num(3)?, a.num(4)?, a.num(5)?);
    let line = if a.len() > 6 { a.num(6)? } else { 0.0 };
    let cw = (width - line * (cols as f64 + 1.0)) / cols as f64;
    let ch = (height - line * (rows as f64 + 1.0)) / rows as f64;
    if cw <= 0.0 || ch <= 0.0 {
        return Err(a.err("the lines leave no room for the cells"));
    }
    let cells = rows
        .checked_mul(cols)
        .ok_or_else(|| a.err("too many cells"))?;
    check_list_len(cells, a.span)?;
    st.charge_n(cells * 4, a.span)?;
    let mut out = Vec::with_capacity(cells);
    for r in 0..rows {
        for c in 0..cols {
            let bx = x + line + c as f64 * (cw + line);
            let by = y + line + r as f64 * (ch + line);
            let cell = [bx, by, cw, ch]
                .iter()
                .map(|v| a.float(*v))
                .collect::<Result<_, _>>()?;
            out.push(Value::List(cell));
        }
    }
    Ok(Value::List(out))
}

#[cfg(test)]
mod tests {
    use crate::expr::{Expr, Value};

    fn eval(src: &str) -> Result<Value, String> {
        let scope = indexmap::IndexMap::new();
        Expr::parse(src)
            .map_err(|e| e.message)?
            .eval_in(&scope)
            .map_err(|e| e.message)
    }

    fn floats(v: &Value) -> Vec<f64> {
        match v {
            Value::List(xs) => xs.iter().map(|x| x.as_f64().unwrap()).collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn rows_are_centred() {
        assert_eq!(
            floats(&eval("row_offsets(3, 2)").unwrap()),
            vec![-2.0, 0.0, 2.0]
        );
        assert_eq!(
            floats(&eval("row_offsets(2, 1.5)").unwrap()),
            vec![-0.75, 0.75]
        );
        assert_eq!(eval("row_offsets(0, 1)").unwrap(), Value::List(vec![]));
        assert!(eval("row_offsets(-1, 1)").is_err());
    }

    #[test]
    fn bands_span_the_table() {
        let b = floats(&eval("bands(3, 2000, 10)").unwrap());
        assert_eq!(b.len(), 4);
        assert_eq!((b[0], b[3]), (0.0, 1990.0));
        assert!((b[1] - 663.333_333).abs() < 1e-5);
        assert!(eval("bands(0, 2000, 10)").is_err());
    }

    #[test]
    fn huge_counts_are_errors_not_allocations() {
        assert!(eval("row_offsets(9223372036854775807, 1)").is_err());
        assert!(eval("bands(9223372036854775807, 10, 1)").is_err());
        assert!(eval("grid_cells(100000, 100000, 0, 0, 1e12, 1e12)").is_err());
    }

    #[test]
    fn cells_sit_between_the_lines_row_major() {
        let v = eval("grid_cells(2, 2, 0, 0, 100, 50, 10)").unwrap();
        let Value::List(cells) = v else { panic!() };
        assert_eq!(floats(&cells[0]), vec![10.0, 10.0, 35.0, 10.0]);
        assert_eq!(floats(&cells[1]), vec![55.0, 10.0, 35.0, 10.0]);
        assert_eq!(floats(&cells[2]), vec![10.0, 30.0, 35.0, 10.0]);
        assert!(eval("grid_cells(2, 2, 0, 0, 20, 20, 10)").is_err());
    }
}
