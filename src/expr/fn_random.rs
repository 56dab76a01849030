//! Random built-ins. All draws go through [`crate::rng::SampleRng`]'s own samplers, so the
//! values a spec draws depend only on the sample seed and never on a `rand` release.

use super::error::ExprError;
use super::eval::State;
use super::functions::Args;
use super::value::Value;

type R = Result<Value, ExprError>;

pub(super) fn uniform(a: &Args<'_, '_>, st: &mut State<'_>) -> R {
    let (lo, hi) = (a.num(0)?, a.num(1)?);
    let x = st.rng(a.name(), a.span)?.uniform(lo, hi);
    a.float(x)
}

pub(super) fn randint(a: &Args<'_, '_>, st: &mut State<'_>) -> R {
    let (lo, hi) = (a.int(0)?, a.int(1)?);
    if lo > hi {
        return Err(a.err(format!("`randint` needs a <= b, got a = {lo} and b = {hi}")));
    }
    Ok(Value::Int(st.rng(a.name(), a.span)?.int_inclusive(lo, hi)))
}

pub(super) fn choice(a: &Args<'_, '_>, st: &mut State<'_>) -> R {
    match a.val(0)? {
        Value::Str(s) => {
            let n = s.chars().count();
            if n == 0 {
                return Err(a.err_at(0, "`choice` of an empty string"));
            }
            st.charge(1 + s.len() as u64 / 16, a.span)?;
            let i = st.rng(a.name(), a.span)?.below(n as u64) as usize;
            Ok(Value::Str(
                s.chars().nth(i).map(String::from).unwrap_or_default(),
            ))
        }
        _ => {
            let xs = a.list(0)?;
            if xs.is_empty() {
                return Err(a.err_at(0, "`choice` of an empty list"));
            }
            let i = st.rng(a.name(), a.span)?.below(xs.len() as u64) as usize;
            let picked = xs
                .get(i)
                .ok_or_else(|| a.err("internal error: choice out of range"))?;
            st.copy(picked, a.span)
        }
    }
}

pub(super) fn sample(a: &Args<'_, '_>, st: &mut State<'_>) -> R {
    let (xs, k) = (a.list(0)?, a.int(1)?);
    let k = usize::try_from(k)
        .ok()
        .filter(|k| *k <= xs.len())
        .ok_or_else(|| {
            a.err_at(
                1,
                format!(
                    "`sample` size {k} must be between 0 and the list length {}",
                    xs.len()
                ),
            )
        })?;
    st.charge_n(xs.len(), a.span)?;
    let picks = st.rng(a.name(), a.span)?.sample_indices(xs.len(), k);
    picks
        .into_iter()
        .map(|i| st.copy(&xs[i], a.span))
        .collect::<Result<_, _>>()
        .map(Value::List)
}

pub(super) fn shuffle(a: &Args<'_, '_>, st: &mut State<'_>) -> R {
    let xs = a.list(0)?;
    let mut out = xs
        .iter()
        .map(|x| st.copy(x, a.span))
        .collect::<Result<Vec<_>, _>>()?;
    st.rng(a.name(), a.span)?.shuffle(&mut out);
    Ok(Value::List(out))
}
