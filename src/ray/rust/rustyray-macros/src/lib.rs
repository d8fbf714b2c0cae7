//! Procedural macros of RustyRay; use them through the `rustyray` crate
//! (`#[rustyray::remote]`, `#[rustyray::actor]`, `#[rustyray::actor_methods]`,
//! `#[rustyray::main]`).

use proc_macro::TokenStream;
use proc_macro2::{Literal, Span, TokenStream as TokenStream2};
use quote::{format_ident, quote, quote_spanned};
use syn::parse::Parser;
use syn::spanned::Spanned;
use syn::{
    parse_macro_input, FnArg, GenericArgument, Ident, ImplItem, ImplItemFn, ItemFn, ItemImpl,
    ItemStruct, Lit, Pat, PathArguments, ReturnType, Signature, Type, Visibility,
};

/// Makes a function callable as a Ray task: `f::remote(args)`, `f::remote_on(&rt, args)`
/// and `f::options().num_cpus(2.0).remote(args)` submit it and yield an `ObjectRef`.
///
/// Options: `num_cpus`, `num_gpus`, `resources(name = amount, ..)`, `max_retries`,
/// `retry_exceptions` (`true`, or a list of error types `[ErrA, ErrB]`), `num_returns`
/// (the function returns a tuple, the call one `ObjectRef` per element).
#[proc_macro_attribute]
pub fn remote(attr: TokenStream, item: TokenStream) -> TokenStream {
    let opts = match TaskAttr::parse(attr) {
        Ok(o) => o,
        Err(e) => return e.to_compile_error().into(),
    };
    let func = parse_macro_input!(item as ItemFn);
    match expand_remote(opts, func) {
        Ok(ts) => ts.into(),
        Err(e) => e.to_compile_error().into(),
    }
}

/// Makes a struct an actor type; pair it with `#[rustyray::actor_methods]` on its impl.
/// Generates the typed handle `<Name>Handle`.
///
/// Options: `num_cpus`, `num_gpus`, `resources(name = amount, ..)`, `max_restarts`,
/// `max_task_retries` (-1: unbounded), `max_concurrency`, `concurrency_groups(io = 2, ..)`.
#[proc_macro_attribute]
pub fn actor(attr: TokenStream, item: TokenStream) -> TokenStream {
    let opts = match ActorAttr::parse(attr) {
        Ok(o) => o,
        Err(e) => return e.to_compile_error().into(),
    };
    let item = parse_macro_input!(item as ItemStruct);
    match expand_actor(opts, item) {
        Ok(ts) => ts.into(),
        Err(e) => e.to_compile_error().into(),
    }
}

/// Exposes the `pub` methods of an actor's inherent impl on its handle; `fn new(..) ->
/// Self` (or `async fn new`) is the constructor behind `Actor::remote(..)`.
#[proc_macro_attribute]
pub fn actor_methods(attr: TokenStream, item: TokenStream) -> TokenStream {
    if !attr.is_empty() {
        return syn::Error::new(
            TokenStream2::from(attr).span(),
            "#[rustyray::actor_methods] takes no arguments; actor options go on #[rustyray::actor(..)]",
        )
        .to_compile_error()
        .into();
    }
    let item = parse_macro_input!(item as ItemImpl);
    match expand_actor_methods(item) {
        Ok(ts) => ts.into(),
        Err(e) => e.to_compile_error().into(),
    }
}

/// Options of one actor method inside `#[rustyray::actor_methods]`, which reads and
/// removes it: `#[rustyray::method(num_returns = 2, concurrency_group = "io")]`.
/// Anywhere else it is an error.
#[proc_macro_attribute]
pub fn method(attr: TokenStream, item: TokenStream) -> TokenStream {
    let _ = attr;
    let item = TokenStream2::from(item);
    let err = syn::Error::new(
        item.span(),
        "#[rustyray::method(..)] only applies to methods of an impl marked #[rustyray::actor_methods]",
    )
    .to_compile_error();
    quote!(#err #item).into()
}

/// Runs an `async fn main` as the driver of a fresh global RustyRay runtime.
///
/// Options: `num_cpus`, `num_gpus`, `worker_threads`, `object_store_capacity`,
/// `namespace`.
#[proc_macro_attribute]
pub fn main(attr: TokenStream, item: TokenStream) -> TokenStream {
    let opts = match MainAttr::parse(attr) {
        Ok(o) => o,
        Err(e) => return e.to_compile_error().into(),
    };
    let func = parse_macro_input!(item as ItemFn);
    match expand_main(opts, func) {
        Ok(ts) => ts.into(),
        Err(e) => e.to_compile_error().into(),
    }
}

fn number(lit: &Lit) -> syn::Result<f64> {
    match lit {
        Lit::Int(i) => i.base10_parse::<f64>(),
        Lit::Float(f) => f.base10_parse::<f64>(),
        other => Err(syn::Error::new(other.span(), "expected a number")),
    }
}

fn integer<T: std::str::FromStr>(lit: &Lit) -> syn::Result<T>
where
    T::Err: std::fmt::Display,
{
    match lit {
        Lit::Int(i) => i.base10_parse::<T>(),
        other => Err(syn::Error::new(other.span(), "expected an integer")),
    }
}

fn boolean(lit: &Lit) -> syn::Result<bool> {
    match lit {
        Lit::Bool(b) => Ok(b.value),
        other => Err(syn::Error::new(other.span(), "expected `true` or `false`")),
    }
}

fn parse_resources(meta: &syn::meta::ParseNestedMeta) -> syn::Result<Vec<(String, f64)>> {
    let mut out = Vec::new();
    meta.parse_nested_meta(|inner| {
        let name = inner
            .path
            .get_ident()
            .ok_or_else(|| inner.error("expected a resource name"))?
            .to_string();
        let lit: Lit = inner.value()?.parse()?;
        out.push((name, number(&lit)?));
        Ok(())
    })?;
    Ok(out)
}

fn resources_tokens(resources: &[(String, f64)]) -> TokenStream2 {
    let items = resources.iter().map(|(n, a)| {
        let a = Literal::f64_suffixed(*a);
        quote!((#n, #a))
    });
    quote!(&[#(#items),*])
}

/// `retry_exceptions = true | false | [ErrorType, ..]`.
enum RetryAttr {
    Bool(bool),
    Types(Vec<syn::Path>),
}

fn parse_retry(meta: &syn::meta::ParseNestedMeta) -> syn::Result<RetryAttr> {
    let expr: syn::Expr = meta.value()?.parse()?;
    match expr {
        syn::Expr::Lit(syn::ExprLit { lit, .. }) => Ok(RetryAttr::Bool(boolean(&lit)?)),
        syn::Expr::Array(list) => {
            let mut types = Vec::new();
            for e in list.elems {
                match e {
                    syn::Expr::Path(p) if p.qself.is_none() => types.push(p.path),
                    other => {
                        return Err(syn::Error::new(
                            other.span(),
                            "expected an error type, e.g. `retry_exceptions = [std::io::Error]`",
                        ))
                    }
                }
            }
            if types.is_empty() {
                return Err(syn::Error::new(
                    list.bracket_token.span.join(),
                    "an empty list retries nothing; write `retry_exceptions = false`",
                ));
            }
            Ok(RetryAttr::Types(types))
        }
        other => Err(syn::Error::new(
            other.span(),
            "expected `true`, `false` or a list of error types `[ErrA, ErrB]`",
        )),
    }
}

fn retry_tokens(retry: Option<&RetryAttr>) -> TokenStream2 {
    match retry {
        None | Some(RetryAttr::Bool(false)) => quote!(::rustyray::RetryExceptions::Never),
        Some(RetryAttr::Bool(true)) => quote!(::rustyray::RetryExceptions::All),
        Some(RetryAttr::Types(types)) => {
            let matchers = types.iter().map(|t| {
                quote_spanned!(t.span()=> ::rustyray::error_is::<#t> as ::rustyray::ErrorMatcher)
            });
            quote!(::rustyray::RetryExceptions::Types(&[#(#matchers),*]))
        }
    }
}

/// `num_returns = n` with `n >= 1`.
fn parse_num_returns(lit: &Lit) -> syn::Result<u32> {
    let n: u32 = integer(lit)?;
    if n == 0 {
        return Err(syn::Error::new(
            lit.span(),
            "num_returns must be at least 1 (a function returning nothing returns `()`)",
        ));
    }
    Ok(n)
}

#[derive(Default)]
struct TaskAttr {
    num_cpus: Option<f64>,
    num_gpus: Option<f64>,
    resources: Vec<(String, f64)>,
    max_retries: Option<u32>,
    retry_exceptions: Option<RetryAttr>,
    num_returns: Option<u32>,
}

impl TaskAttr {
    fn parse(attr: impl Into<TokenStream2>) -> syn::Result<Self> {
        let mut out = TaskAttr::default();
        let parser = syn::meta::parser(|meta| {
            if meta.path.is_ident("resources") {
                out.resources = parse_resources(&meta)?;
                return Ok(());
            }
            if meta.path.is_ident("retry_exceptions") {
                out.retry_exceptions = Some(parse_retry(&meta)?);
                return Ok(());
            }
            let lit: Lit = meta.value()?.parse()?;
            if meta.path.is_ident("num_cpus") {
                out.num_cpus = Some(number(&lit)?);
            } else if meta.path.is_ident("num_gpus") {
                out.num_gpus = Some(number(&lit)?);
            } else if meta.path.is_ident("max_retries") {
                out.max_retries = Some(integer(&lit)?);
            } else if meta.path.is_ident("num_returns") {
                out.num_returns = Some(parse_num_returns(&lit)?);
            } else {
                return Err(meta.error(
                    "unknown option; expected num_cpus, num_gpus, resources(..), max_retries, retry_exceptions or num_returns",
                ));
            }
            Ok(())
        });
        parser.parse2(attr.into())?;
        Ok(out)
    }
}

#[derive(Default)]
struct ActorAttr {
    num_cpus: Option<f64>,
    num_gpus: Option<f64>,
    resources: Vec<(String, f64)>,
    max_restarts: Option<u32>,
    max_concurrency: Option<usize>,
    max_task_retries: Option<i32>,
    concurrency_groups: Vec<(String, usize)>,
}

/// An integer that may be negative (`-1`, Ray's "unbounded").
fn signed_integer(meta: &syn::meta::ParseNestedMeta) -> syn::Result<i32> {
    let expr: syn::Expr = meta.value()?.parse()?;
    match &expr {
        syn::Expr::Lit(syn::ExprLit { lit, .. }) => integer(lit),
        syn::Expr::Unary(syn::ExprUnary {
            op: syn::UnOp::Neg(_),
            expr: inner,
            ..
        }) => match &**inner {
            syn::Expr::Lit(syn::ExprLit { lit, .. }) => integer::<i32>(lit).map(|n| -n),
            other => Err(syn::Error::new(other.span(), "expected an integer")),
        },
        other => Err(syn::Error::new(other.span(), "expected an integer")),
    }
}

impl ActorAttr {
    fn parse(attr: impl Into<TokenStream2>) -> syn::Result<Self> {
        let mut out = ActorAttr::default();
        let parser = syn::meta::parser(|meta| {
            if meta.path.is_ident("resources") {
                out.resources = parse_resources(&meta)?;
                return Ok(());
            }
            if meta.path.is_ident("concurrency_groups") {
                meta.parse_nested_meta(|group| {
                    let name = group
                        .path
                        .get_ident()
                        .ok_or_else(|| group.error("expected a group name"))?
                        .to_string();
                    let lit: Lit = group.value()?.parse()?;
                    let max: usize = integer(&lit)?;
                    if max == 0 {
                        return Err(syn::Error::new(lit.span(), "a group runs at least 1 call"));
                    }
                    if out.concurrency_groups.iter().any(|(n, _)| *n == name) {
                        return Err(group.error("this concurrency group is declared twice"));
                    }
                    out.concurrency_groups.push((name, max));
                    Ok(())
                })?;
                return Ok(());
            }
            if meta.path.is_ident("max_task_retries") {
                let n = signed_integer(&meta)?;
                if n < -1 {
                    return Err(meta.error("max_task_retries is -1 (unbounded) or at least 0"));
                }
                out.max_task_retries = Some(n);
                return Ok(());
            }
            let lit: Lit = meta.value()?.parse()?;
            if meta.path.is_ident("num_cpus") {
                out.num_cpus = Some(number(&lit)?);
            } else if meta.path.is_ident("num_gpus") {
                out.num_gpus = Some(number(&lit)?);
            } else if meta.path.is_ident("max_restarts") {
                out.max_restarts = Some(integer(&lit)?);
            } else if meta.path.is_ident("max_concurrency") {
                out.max_concurrency = Some(integer(&lit)?);
            } else {
                return Err(meta.error(
                    "unknown option; expected num_cpus, num_gpus, resources(..), max_restarts, max_task_retries, max_concurrency or concurrency_groups(..)",
                ));
            }
            Ok(())
        });
        parser.parse2(attr.into())?;
        Ok(out)
    }
}

#[derive(Default)]
struct MainAttr {
    calls: Vec<TokenStream2>,
}

impl MainAttr {
    fn parse(attr: impl Into<TokenStream2>) -> syn::Result<Self> {
        let mut out = MainAttr::default();
        let parser = syn::meta::parser(|meta| {
            let lit: Lit = meta.value()?.parse()?;
            if meta.path.is_ident("namespace") {
                let Lit::Str(ns) = &lit else {
                    return Err(syn::Error::new(lit.span(), "expected a string"));
                };
                out.calls.push(quote!(.namespace(#ns)));
                return Ok(());
            }
            if meta.path.is_ident("address") || meta.path.is_ident("code_search_path") {
                let Lit::Str(value) = &lit else {
                    return Err(syn::Error::new(lit.span(), "expected a string"));
                };
                let ident = meta.path.get_ident().cloned();
                out.calls.push(quote!(.#ident(#value)));
                return Ok(());
            }
            if meta.path.is_ident("num_cpus") || meta.path.is_ident("num_gpus") {
                let ident = meta.path.get_ident().cloned();
                let v = Literal::f64_suffixed(number(&lit)?);
                out.calls.push(quote!(.#ident(#v)));
            } else if meta.path.is_ident("worker_threads")
                || meta.path.is_ident("object_store_capacity")
            {
                let ident = meta.path.get_ident().cloned();
                let v = Literal::usize_suffixed(integer(&lit)?);
                out.calls.push(quote!(.#ident(#v)));
            } else {
                return Err(meta.error(
                    "unknown option; expected num_cpus, num_gpus, worker_threads, object_store_capacity, namespace, address or code_search_path",
                ));
            }
            Ok(())
        });
        parser.parse2(attr.into())?;
        Ok(out)
    }
}

/// A parameter of a remote function or actor method.
struct Param {
    name: Ident,
    ty: Type,
    /// Declared as `ObjectRef<T>`: the reference itself is passed.
    by_ref: bool,
}

fn last_segment_is(ty: &Type, name: &str) -> bool {
    match ty {
        Type::Path(p) => {
            p.qself.is_none() && p.path.segments.last().is_some_and(|s| s.ident == name)
        }
        _ => false,
    }
}

fn check_owned(ty: &Type) -> syn::Result<()> {
    struct Finder(Option<Span>);
    impl<'ast> syn::visit::Visit<'ast> for Finder {
        fn visit_type_reference(&mut self, r: &'ast syn::TypeReference) {
            let is_static = r.lifetime.as_ref().is_some_and(|l| l.ident == "static");
            if !is_static && self.0.is_none() {
                self.0 = Some(r.span());
            }
        }
        fn visit_type_impl_trait(&mut self, t: &'ast syn::TypeImplTrait) {
            if self.0.is_none() {
                self.0 = Some(t.span());
            }
        }
        fn visit_lifetime(&mut self, l: &'ast syn::Lifetime) {
            if l.ident != "static" && self.0.is_none() {
                self.0 = Some(l.span());
            }
        }
    }
    let mut finder = Finder(None);
    syn::visit::visit_type(&mut finder, ty);
    match finder.0 {
        Some(span) => Err(syn::Error::new(
            span,
            "parameters of remote calls must be owned `'static` types (no borrowed references or `impl Trait`)",
        )),
        None => Ok(()),
    }
}

fn params<'a>(inputs: impl Iterator<Item = &'a FnArg>) -> syn::Result<Vec<Param>> {
    let mut out = Vec::new();
    for (i, arg) in inputs.enumerate() {
        let FnArg::Typed(pt) = arg else {
            continue;
        };
        check_owned(&pt.ty)?;
        let name = match &*pt.pat {
            Pat::Ident(p) if p.ident != "self" => p.ident.clone(),
            _ => format_ident!("arg{}", i),
        };
        let ty = (*pt.ty).clone();
        out.push(Param {
            name,
            by_ref: last_segment_is(&ty, "ObjectRef"),
            ty,
        });
    }
    Ok(out)
}

/// The value type of the `ObjectRef` a call returns, and whether the function returns a
/// `Result` whose `Err` fails the task.
fn output(sig: &Signature) -> (Type, bool) {
    let ty = match &sig.output {
        ReturnType::Default => return (syn::parse_quote!(()), false),
        ReturnType::Type(_, ty) => (**ty).clone(),
    };
    if let Type::Path(p) = &ty {
        if let Some(seg) = p.path.segments.last() {
            if seg.ident == "Result" {
                if let PathArguments::AngleBracketed(args) = &seg.arguments {
                    if let Some(GenericArgument::Type(ok)) = args.args.first() {
                        return (ok.clone(), true);
                    }
                }
            }
        }
    }
    (ty, false)
}

fn call_pieces(params: &[Param]) -> CallPieces {
    let names: Vec<Ident> = params.iter().map(|p| p.name.clone()).collect();
    let values: Vec<Ident> = (0..params.len())
        .map(|i| format_ident!("__a{}", i))
        .collect();
    let types: Vec<Type> = params.iter().map(|p| p.ty.clone()).collect();
    let arg_types: Vec<TokenStream2> = params
        .iter()
        .map(|p| {
            let ty = &p.ty;
            if p.by_ref {
                quote!(#ty)
            } else {
                quote!(impl ::rustyray::__private::IntoArg<#ty>)
            }
        })
        .collect();
    let packed: Vec<TokenStream2> = params
        .iter()
        .map(|p| {
            let name = &p.name;
            if p.by_ref {
                quote!(::rustyray::__private::Arg::value(#name))
            } else {
                quote!(::rustyray::__private::IntoArg::into_arg(#name))
            }
        })
        .collect();
    let indexes = (0..params.len()).map(syn::Index::from);
    let clone_args = quote! {
        |__args: &(#(#types,)*)| -> ::std::option::Option<(#(#types,)*)> {
            #[allow(unused_imports)]
            use ::rustyray::__private::{ViaClone as _, ViaNoClone as _};
            ::std::option::Option::Some((#((&::rustyray::__private::MaybeClone(&__args.#indexes)).maybe_clone()?,)*))
        }
    };
    let asserts = params.iter().map(|p| {
        let ty = &p.ty;
        quote_spanned!(ty.span()=> ::rustyray::__private::assert_remote_arg::<#ty>();)
    });
    CallPieces {
        signature: quote!(#(#names: #arg_types),*),
        packed: quote!((#(#packed,)*)),
        pattern: quote!((#(#values,)*): (#(#types,)*)),
        call_args: quote!(#(#values),*),
        arg_tuple: quote!((#(::rustyray::__private::Arg<#types>,)*)),
        clone_args,
        asserts: quote!(#(#asserts)*),
        names: params.iter().map(|p| p.name.to_string()).collect(),
    }
}

struct CallPieces {
    /// `x: impl IntoArg<i32>, ..` for the generated signatures.
    signature: TokenStream2,
    /// `(IntoArg::into_arg(x), ..)`.
    packed: TokenStream2,
    /// `(__a0, ..): (i32, ..)` binding the resolved values.
    pattern: TokenStream2,
    /// `__a0, ..`.
    call_args: TokenStream2,
    /// `(Arg<i32>, ..)`.
    arg_tuple: TokenStream2,
    clone_args: TokenStream2,
    asserts: TokenStream2,
    names: Vec<String>,
}

/// What a call returns: the runtime's `Returns` shape, the references the caller gets
/// and the value types (each must be a valid result).
struct ReturnShape {
    ret: TokenStream2,
    refs: TokenStream2,
    values: Vec<Type>,
}

/// Most objects a call may return (the tuples the runtime implements `Returns` for).
const MAX_RETURNS: u32 = 8;

fn return_shape(num_returns: Option<u32>, out_ty: &Type) -> syn::Result<ReturnShape> {
    let n = num_returns.unwrap_or(1);
    if n == 1 {
        return Ok(ReturnShape {
            ret: quote!(::rustyray::__private::One<#out_ty>),
            refs: quote!(::rustyray::ObjectRef<#out_ty>),
            values: vec![out_ty.clone()],
        });
    }
    if n > MAX_RETURNS {
        return Err(syn::Error::new(
            out_ty.span(),
            format!("num_returns is at most {MAX_RETURNS}"),
        ));
    }
    let found = match out_ty {
        Type::Tuple(t) => t.elems.len(),
        _ => 1,
    };
    let Type::Tuple(tuple) = out_ty else {
        return Err(syn::Error::new(
            out_ty.span(),
            format!(
                "num_returns = {n} needs the function to return a tuple of {n} values \
                 (written as a tuple type), one per returned ObjectRef"
            ),
        ));
    };
    if found != n as usize {
        return Err(syn::Error::new(
            out_ty.span(),
            format!(
                "num_returns = {n} does not match the returned tuple of {found} value{}; \
                 each element becomes one ObjectRef",
                if found == 1 { "" } else { "s" }
            ),
        ));
    }
    let values: Vec<Type> = tuple.elems.iter().cloned().collect();
    Ok(ReturnShape {
        ret: quote!(#out_ty),
        refs: quote!((#(::rustyray::ObjectRef<#values>,)*)),
        values,
    })
}

/// A streaming call: its trailing `Yielder<T>` parameter, which the caller does not pass.
struct Streamed {
    item: Type,
}

impl Streamed {
    /// Binds `__y`, the running call's yielder, before the body; a call that is not
    /// streaming at run time (cannot happen through the generated code) fails.
    fn prelude(&self) -> TokenStream2 {
        let item = &self.item;
        quote! {
            let __y = match ::rustyray::__private::current_yielder::<#item>() {
                ::std::result::Result::Ok(y) => y,
                ::std::result::Result::Err(e) => {
                    return ::std::result::Result::Err(::rustyray::TaskCause::new(e));
                }
            };
        }
    }
}

/// The `T` of a `Yielder<T>` type.
fn yielder_item(ty: &Type) -> Option<Type> {
    let Type::Path(p) = ty else { return None };
    let seg = p.path.segments.last()?;
    if seg.ident != "Yielder" {
        return None;
    }
    match &seg.arguments {
        PathArguments::AngleBracketed(args) => match args.args.first() {
            Some(GenericArgument::Type(t)) if args.args.len() == 1 => Some(t.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// Takes a trailing `Yielder<T>` out of `params`: the call is then a streaming generator,
/// returning `()` or `Result<(), E>` and giving the caller an `ObjectRefGenerator<T>`.
fn take_yielder(
    params: &mut Vec<Param>,
    num_returns: Option<u32>,
    out_ty: &Type,
) -> syn::Result<Option<(Streamed, ReturnShape)>> {
    let Some(pos) = params.iter().position(|p| yielder_item(&p.ty).is_some()) else {
        return Ok(None);
    };
    if pos + 1 != params.len() {
        return Err(syn::Error::new(
            params[pos].ty.span(),
            "the Yielder of a streaming function must be its last parameter",
        ));
    }
    let param = params.remove(pos);
    let Some(item) = yielder_item(&param.ty) else {
        return Ok(None);
    };
    if num_returns.is_some() {
        return Err(syn::Error::new(
            param.ty.span(),
            "a streaming function (taking a Yielder) has no num_returns: its items are its returns",
        ));
    }
    if !matches!(out_ty, Type::Tuple(t) if t.elems.is_empty()) {
        return Err(syn::Error::new(
            out_ty.span(),
            "a streaming function returns `()` or `Result<(), E>`; its values go through the Yielder",
        ));
    }
    let shape = ReturnShape {
        ret: quote!(::rustyray::__private::Streaming<#item>),
        refs: quote!(::rustyray::ObjectRefGenerator<#item>),
        values: vec![item.clone()],
    };
    Ok(Some((Streamed { item }, shape)))
}

/// The arguments of the user's function: the resolved values, then the yielder.
fn with_yielder(
    call_args: &TokenStream2,
    streamed: Option<&Streamed>,
    empty: bool,
) -> TokenStream2 {
    match (streamed, empty) {
        (None, _) => call_args.clone(),
        (Some(_), true) => quote!(__y),
        (Some(_), false) => quote!(#call_args, __y),
    }
}

fn wrap_result(fallible: bool, expr: TokenStream2) -> TokenStream2 {
    if fallible {
        quote!(::rustyray::__private::fallible(#expr))
    } else {
        quote!(::rustyray::__private::ok(#expr))
    }
}

/// Statements that encode a call's packed arguments (`packed`, a tuple of `Arg<T>`) for a
/// cluster backend into `__encoded`: a `Result` of the `EncodedArg`s, or why a parameter
/// type cannot cross (not serde, told apart by `SerdeProbe`'s method resolution).
fn encode_args(packed: &TokenStream2, types: &[&Type]) -> TokenStream2 {
    let values: Vec<Ident> = (0..types.len())
        .map(|i| format_ident!("__a{}", i))
        .collect();
    quote! {
        #[allow(unused_imports)]
        use ::rustyray::__private::{ViaNoSerde as _, ViaSerde as _};
        let (#(#values,)*) = #packed;
        let __encoded = (move || -> ::std::result::Result<
            ::std::vec::Vec<::rustyray::__private::EncodedArg>,
            ::std::string::String,
        > {
            ::std::result::Result::Ok(::std::vec![#(
                (&::rustyray::__private::SerdeProbe::<#types>::new())
                    .encode_arg(#values)?
            ),*])
        })();
    }
}

fn expand_remote(opts: TaskAttr, func: ItemFn) -> syn::Result<TokenStream2> {
    let sig = &func.sig;
    if let Some(receiver) = sig.receiver() {
        return Err(syn::Error::new(
            receiver.span(),
            "#[rustyray::remote] cannot be used on a method (a function taking `self`); \
             make the type an actor with #[rustyray::actor] and #[rustyray::actor_methods]",
        ));
    }
    if !sig.generics.params.is_empty() || sig.generics.where_clause.is_some() {
        return Err(syn::Error::new(
            sig.generics.span(),
            "#[rustyray::remote] functions cannot be generic: a remote function is registered \
             and called by name, so its parameter and return types must be concrete",
        ));
    }
    if let Some(v) = &sig.variadic {
        return Err(syn::Error::new(
            v.span(),
            "remote functions cannot be variadic",
        ));
    }
    let mut params = params(sig.inputs.iter())?;
    let (out_ty, fallible) = output(sig);
    let streaming = take_yielder(&mut params, opts.num_returns, &out_ty)?;
    for arg in &sig.inputs {
        if let FnArg::Typed(pt) = arg {
            if let Type::ImplTrait(_) = &*pt.ty {
                return Err(syn::Error::new(
                    pt.ty.span(),
                    "#[rustyray::remote] functions cannot be generic (`impl Trait` parameter)",
                ));
            }
        }
    }
    let vis = &func.vis;
    let name = &sig.ident;
    let name_str = name.to_string();
    let options_ident = format_ident!("__rustyray_{}_Options", name);
    let is_async = sig.asyncness.is_some();
    let pieces = call_pieces(&params);
    let CallPieces {
        signature,
        packed,
        pattern,
        call_args,
        arg_tuple,
        clone_args,
        asserts,
        names,
    } = &pieces;
    let num_cpus = Literal::f64_suffixed(opts.num_cpus.unwrap_or(1.0));
    let num_gpus = Literal::f64_suffixed(opts.num_gpus.unwrap_or(0.0));
    let resources = resources_tokens(&opts.resources);
    let max_retries = match opts.max_retries {
        Some(n) => quote!(#n),
        None => quote!(::rustyray::DEFAULT_MAX_RETRIES),
    };
    let retry_exceptions = retry_tokens(opts.retry_exceptions.as_ref());
    let (streamed, shape) = match streaming {
        Some((st, shape)) => (Some(st), shape),
        None => (None, return_shape(opts.num_returns, &out_ty)?),
    };
    // A streaming function's objects are its items, counted as they come.
    let num_returns = if streamed.is_some() {
        0
    } else {
        opts.num_returns.unwrap_or(1)
    };
    let ReturnShape {
        ret,
        refs,
        values: out_types,
    } = &shape;
    let prelude = streamed.as_ref().map(Streamed::prelude);
    let args = with_yielder(call_args, streamed.as_ref(), params.is_empty());
    let submit = if is_async {
        let body = wrap_result(fallible, quote!(#name(#args).await));
        quote! {
            ::rustyray::__private::submit_async::<_, #ret, _, _>(
                __rt, &Self::SPEC, __options, __args,
                |#pattern| async move { #prelude #body },
                #clone_args,
            )
        }
    } else {
        let body = wrap_result(fallible, quote!(#name(#args)));
        quote! {
            ::rustyray::__private::submit_blocking::<_, #ret, _>(
                __rt, &Self::SPEC, __options, __args,
                |#pattern| { #prelude #body },
                #clone_args,
            )
        }
    };
    // Running on a cluster backend: functions with one result, whose parameters and result
    // are serde types (checked where the types are concrete, by SerdeProbe).
    let cluster_reason = if streamed.is_some() {
        Some("streaming generators run in-process only for now")
    } else if num_returns != 1 {
        Some("num_returns other than 1 runs in-process only for now")
    } else {
        None
    };
    let param_types: Vec<&Type> = params.iter().map(|p| &p.ty).collect();
    let encoded = encode_args(&quote!(__args), &param_types);
    let (cluster_submit, cluster_worker) = match cluster_reason {
        Some(reason) => (
            quote! {
                let _ = (__rt, __options, __args);
                ::rustyray::__private::cluster_unsupported(&Self::SPEC, #reason)
            },
            quote! {
                ::std::result::Result::Err(::std::string::String::from(#reason))
            },
        ),
        None => {
            // An async function runs to its end on the worker's thread.
            let body = if is_async {
                let awaited = wrap_result(fallible, quote!(#name(#call_args).await));
                quote!(::rustyray::__private::block_on_worker(async move { #awaited }))
            } else {
                wrap_result(fallible, quote!(#name(#call_args)))
            };
            (
                quote! {
                    #encoded
                    ::rustyray::__private::submit_cluster(
                        __rt, &Self::SPEC, __options, __encoded,
                        (&::rustyray::__private::SerdeProbe::<#out_ty>::new()).decoder(),
                    )
                },
                quote! {
                    #[allow(unused_imports)]
                    use ::rustyray::__private::{WorkerViaNoSerde as _, WorkerViaSerde as _};
                    let __body: fn((#(#param_types,)*)) -> ::std::result::Result<#out_ty, ::rustyray::TaskCause> =
                        |#pattern| { #body };
                    (&::rustyray::__private::WorkerProbe::<(#(#param_types,)*), #out_ty>::new())
                        .worker(__body)
                },
            )
        }
    };
    let out_assert = out_types
        .iter()
        .map(|t| quote_spanned!(t.span()=> ::rustyray::__private::assert_remote_result::<#t>();));
    let doc = format!(
        "Remote calls of [`{name_str}`](fn@{name_str}): `{name_str}::remote(..)`, \
         `{name_str}::remote_on(&rt, ..)`, `{name_str}::options()`."
    );
    Ok(quote! {
        #func

        #[doc = #doc]
        #[allow(non_camel_case_types)]
        #vis struct #name {
            _private: (),
        }

        #[doc(hidden)]
        #[allow(non_camel_case_types)]
        #vis struct #options_ident {
            #[doc(hidden)]
            pub options: ::rustyray::TaskOptions,
            #[doc(hidden)]
            pub runtime: ::std::option::Option<::rustyray::Runtime>,
        }

        #[allow(clippy::all)]
        const _: () = {
            #asserts
            #(#out_assert)*
        };

        impl #name {
            /// The function's registration.
            pub const SPEC: ::rustyray::FunctionSpec = ::rustyray::FunctionSpec {
                name: #name_str,
                module_path: ::std::module_path!(),
                is_async: #is_async,
                params: &[#(#names),*],
                num_cpus: #num_cpus,
                num_gpus: #num_gpus,
                resources: #resources,
                max_retries: #max_retries,
                retry_exceptions: #retry_exceptions,
                num_returns: #num_returns,
            };

            /// Submits a call on the current runtime; arguments are values or `ObjectRef`s.
            #[allow(clippy::too_many_arguments)]
            pub fn remote(#signature) -> ::rustyray::Submitted<#refs> {
                Self::__submit(::std::option::Option::None, ::std::option::Option::None, #packed)
            }

            /// Submits a call on `rt`.
            #[allow(clippy::too_many_arguments)]
            pub fn remote_on(__rustyray_rt: &::rustyray::Runtime, #signature) -> ::rustyray::Submitted<#refs> {
                Self::__submit(::std::option::Option::Some(__rustyray_rt), ::std::option::Option::None, #packed)
            }

            /// Options for one call (Ray's `f.options(..)`), starting from the attribute's.
            pub fn options() -> #options_ident {
                #options_ident {
                    options: Self::SPEC.options(),
                    runtime: ::std::option::Option::None,
                }
            }

            #[doc(hidden)]
            #[allow(clippy::all)]
            pub fn __submit(
                __rt: ::std::option::Option<&::rustyray::Runtime>,
                __options: ::std::option::Option<&::rustyray::TaskOptions>,
                __args: #arg_tuple,
            ) -> ::rustyray::Submitted<#refs> {
                if ::rustyray::__private::cluster_active() {
                    if let ::std::option::Option::Some(__c) = ::rustyray::__private::cluster_runtime(__rt) {
                        return Self::__submit_cluster(__c, __options, __args);
                    }
                }
                #submit
            }

            #[doc(hidden)]
            #[allow(clippy::all)]
            #[cold]
            #[inline(never)]
            pub fn __submit_cluster(
                __rt: ::rustyray::Runtime,
                __options: ::std::option::Option<&::rustyray::TaskOptions>,
                __args: #arg_tuple,
            ) -> ::rustyray::Submitted<#refs> {
                #cluster_submit
            }

            #[doc(hidden)]
            #[allow(clippy::all)]
            pub fn __cluster_worker() -> ::std::result::Result<::rustyray::__private::WorkerCall, ::std::string::String> {
                #cluster_worker
            }
        }

        impl #options_ident {
            ::rustyray::__task_builder_methods!();

            /// Submits a call with these options.
            #[allow(clippy::too_many_arguments)]
            pub fn remote(self, #signature) -> ::rustyray::Submitted<#refs> {
                #name::__submit(self.runtime.as_ref(), ::std::option::Option::Some(&self.options), #packed)
            }
        }

        ::rustyray::__private::inventory::submit! {
            ::rustyray::__private::RemoteFunctionEntry(&#name::SPEC, #name::__cluster_worker)
        }
    })
}

fn expand_actor(opts: ActorAttr, item: ItemStruct) -> syn::Result<TokenStream2> {
    if !item.generics.params.is_empty() {
        return Err(syn::Error::new(
            item.generics.span(),
            "#[rustyray::actor] types cannot be generic: actors are registered by name",
        ));
    }
    let vis = &item.vis;
    let name = &item.ident;
    let name_str = name.to_string();
    let handle = format_ident!("{}Handle", name);
    let options_ident = format_ident!("{}ActorOptions", name);
    let num_cpus = Literal::f64_suffixed(opts.num_cpus.unwrap_or(0.0));
    let num_gpus = Literal::f64_suffixed(opts.num_gpus.unwrap_or(0.0));
    let resources = resources_tokens(&opts.resources);
    let max_restarts = opts.max_restarts.unwrap_or(0);
    let max_task_retries = opts.max_task_retries.unwrap_or(0);
    let group_items = opts.concurrency_groups.iter().map(|(n, m)| {
        let m = Literal::usize_suffixed(*m);
        quote!((#n, #m))
    });
    let concurrency_groups = quote!(&[#(#group_items),*]);
    let max_concurrency = opts.max_concurrency.unwrap_or(1);
    let handle_doc = format!(
        "Handle of a [`{name_str}`] actor: one method per `pub` method of the actor, each \
         submitting a call and yielding an `ObjectRef`. Dereferences to \
         [`rustyray::ActorHandle`] for `id`, `kill`, ..."
    );
    Ok(quote! {
        #item

        impl #name {
            #[doc(hidden)]
            pub const __RUSTYRAY_SPEC: ::rustyray::ActorSpec = ::rustyray::ActorSpec {
                name: #name_str,
                module_path: ::std::module_path!(),
                num_cpus: #num_cpus,
                num_gpus: #num_gpus,
                resources: #resources,
                max_restarts: #max_restarts,
                max_task_retries: #max_task_retries,
                concurrency_groups: #concurrency_groups,
                max_concurrency: #max_concurrency,
            };

            /// Options for a new actor (Ray's `Actor.options(..)`), starting from the
            /// attribute's.
            pub fn options() -> #options_ident {
                #options_ident {
                    options: Self::__RUSTYRAY_SPEC.options(),
                    runtime: ::std::option::Option::None,
                }
            }
        }

        impl ::rustyray::Actor for #name {
            fn spec() -> &'static ::rustyray::ActorSpec {
                &Self::__RUSTYRAY_SPEC
            }
        }

        #[doc = #handle_doc]
        #[derive(Clone, Debug)]
        #vis struct #handle(::rustyray::ActorHandle<#name>);

        impl ::std::ops::Deref for #handle {
            type Target = ::rustyray::ActorHandle<#name>;
            fn deref(&self) -> &Self::Target {
                &self.0
            }
        }

        impl ::rustyray::TypedActorHandle for #handle {
            type Actor = #name;
            fn from_handle(handle: ::rustyray::ActorHandle<#name>) -> Self {
                #handle(handle)
            }
        }

        // Passed to cluster tasks as the untyped handle is.
        impl ::rustyray::__private::serde::Serialize for #handle {
            fn serialize<S: ::rustyray::__private::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                ::rustyray::__private::serde::Serialize::serialize(&self.0, serializer)
            }
        }

        impl<'de> ::rustyray::__private::serde::Deserialize<'de> for #handle {
            fn deserialize<D: ::rustyray::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                <::rustyray::ActorHandle<#name> as ::rustyray::__private::serde::Deserialize<'de>>::deserialize(deserializer)
                    .map(#handle)
            }
        }

        #[doc(hidden)]
        #vis struct #options_ident {
            #[doc(hidden)]
            pub options: ::rustyray::ActorOptions,
            #[doc(hidden)]
            pub runtime: ::std::option::Option<::rustyray::Runtime>,
        }

        impl #options_ident {
            ::rustyray::__actor_builder_methods!();
        }

        ::rustyray::__private::inventory::submit! {
            ::rustyray::__private::ActorEntry {
                spec: &#name::__RUSTYRAY_SPEC,
                type_id: ::std::any::TypeId::of::<#name>,
            }
        }
    })
}

fn with_last_ident(path: &syn::Path, ident: Ident) -> syn::Path {
    let mut path = path.clone();
    if let Some(last) = path.segments.last_mut() {
        last.ident = ident;
        last.arguments = PathArguments::None;
    }
    path
}

/// Options of one actor method, from `#[rustyray::method(..)]`.
#[derive(Default)]
struct MethodAttr {
    num_returns: Option<u32>,
    concurrency_group: Option<syn::LitStr>,
}

impl MethodAttr {
    fn parse(attr: &syn::Attribute) -> syn::Result<Self> {
        let mut out = MethodAttr::default();
        attr.parse_nested_meta(|meta| {
            let lit: Lit = meta.value()?.parse()?;
            if meta.path.is_ident("num_returns") {
                out.num_returns = Some(parse_num_returns(&lit)?);
            } else if meta.path.is_ident("concurrency_group") {
                let Lit::Str(group) = lit else {
                    return Err(syn::Error::new(lit.span(), "expected a group name string"));
                };
                out.concurrency_group = Some(group);
            } else {
                return Err(meta.error("unknown option; expected num_returns or concurrency_group"));
            }
            Ok(())
        })?;
        Ok(out)
    }
}

/// `#[method(..)]` or `#[rustyray::method(..)]`.
fn is_method_attr(attr: &syn::Attribute) -> bool {
    let path = attr.path();
    let names: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    matches!(names.as_slice(), [m] if m == "method")
        || matches!(names.as_slice(), [r, m] if r == "rustyray" && m == "method")
}

/// Removes the `#[rustyray::method(..)]` attributes of the impl's methods (they are
/// options for this macro, not attributes the compiler knows) and returns them by method.
fn take_method_attrs(
    item: &mut ItemImpl,
) -> syn::Result<std::collections::HashMap<String, MethodAttr>> {
    let mut out = std::collections::HashMap::new();
    for it in &mut item.items {
        let ImplItem::Fn(f) = it else { continue };
        let mut found = None;
        let mut kept = Vec::new();
        for attr in std::mem::take(&mut f.attrs) {
            if is_method_attr(&attr) {
                if found.is_some() {
                    return Err(syn::Error::new(
                        attr.span(),
                        "one #[rustyray::method(..)] per method",
                    ));
                }
                found = Some(MethodAttr::parse(&attr)?);
            } else {
                kept.push(attr);
            }
        }
        f.attrs = kept;
        if let Some(a) = found {
            out.insert(f.sig.ident.to_string(), a);
        }
    }
    Ok(out)
}

fn expand_actor_methods(mut item: ItemImpl) -> syn::Result<TokenStream2> {
    let method_attrs = take_method_attrs(&mut item)?;
    if let Some((_, path, _)) = &item.trait_ {
        return Err(syn::Error::new(
            path.span(),
            "#[rustyray::actor_methods] must be on an inherent impl (`impl Counter { .. }`), \
             not on a trait impl: trait methods cannot be called remotely",
        ));
    }
    if !item.generics.params.is_empty() {
        return Err(syn::Error::new(
            item.generics.span(),
            "#[rustyray::actor_methods] cannot be on a generic impl",
        ));
    }
    let self_path = match &*item.self_ty {
        Type::Path(p) if p.qself.is_none() => p.path.clone(),
        other => {
            return Err(syn::Error::new(
                other.span(),
                "#[rustyray::actor_methods] expects `impl ActorType { .. }`",
            ))
        }
    };
    let Some(last) = self_path.segments.last() else {
        return Err(syn::Error::new(self_path.span(), "expected a type name"));
    };
    let actor_name = last.ident.clone();
    let actor_str = actor_name.to_string();
    let actor_ty = &item.self_ty;
    let handle = with_last_ident(&self_path, format_ident!("{}Handle", actor_name));
    let options_ty = with_last_ident(&self_path, format_ident!("{}ActorOptions", actor_name));

    let mut ctor: Option<&ImplItemFn> = None;
    let mut methods = Vec::new();
    for it in &item.items {
        let ImplItem::Fn(f) = it else { continue };
        if f.sig.ident == "new" && f.sig.receiver().is_none() {
            ctor = Some(f);
            continue;
        }
        if !matches!(f.vis, Visibility::Public(_)) {
            continue;
        }
        let Some(receiver) = f.sig.receiver() else {
            continue;
        };
        if receiver.reference.is_none() || receiver.colon_token.is_some() {
            return Err(syn::Error::new(
                receiver.span(),
                "actor methods must take `&self` or `&mut self`",
            ));
        }
        if !f.sig.generics.params.is_empty() {
            return Err(syn::Error::new(
                f.sig.generics.span(),
                "actor methods cannot be generic: they are called by name",
            ));
        }
        methods.push((f, receiver.mutability.is_some()));
    }
    let Some(ctor) = ctor else {
        return Err(syn::Error::new(
            item.self_ty.span(),
            "an actor needs a constructor `fn new(..) -> Self` in its #[rustyray::actor_methods] impl",
        ));
    };

    let ctor_params = params(ctor.sig.inputs.iter())?;
    let cp = call_pieces(&ctor_params);
    let CallPieces {
        signature: ctor_sig,
        packed: ctor_packed,
        pattern: ctor_pattern,
        call_args: ctor_args,
        arg_tuple: _,
        clone_args: ctor_clone,
        asserts: ctor_asserts,
        names: _,
    } = &cp;
    let constructor = if ctor.sig.asyncness.is_some() {
        quote! {
            ::rustyray::__private::Constructor::Async(|#ctor_pattern| ::std::boxed::Box::pin(async move {
                <#actor_ty>::new(#ctor_args).await
            }))
        }
    } else {
        quote! {
            ::rustyray::__private::Constructor::Sync(|#ctor_pattern| <#actor_ty>::new(#ctor_args))
        }
    };

    let ctor_names: Vec<&Ident> = ctor_params.iter().map(|p| &p.name).collect();
    let ctor_types: Vec<&Type> = ctor_params.iter().map(|p| &p.ty).collect();
    let ctor_encoded = encode_args(ctor_packed, &ctor_types);
    let ctor_worker_body = if ctor.sig.asyncness.is_some() {
        quote! {
            ::rustyray::__private::block_on_worker(async move {
                ::rustyray::__private::ok(<#actor_ty>::new(#ctor_args).await)
            })
        }
    } else {
        quote!(::rustyray::__private::ok(<#actor_ty>::new(#ctor_args)))
    };
    let mut handle_methods = Vec::new();
    let mut registrations = Vec::new();
    let mut asserts = vec![ctor_asserts.clone()];
    for (f, mutable) in &methods {
        let m = &f.sig.ident;
        let m_str = m.to_string();
        let mut ps = params(f.sig.inputs.iter())?;
        let (out_ty, fallible) = output(&f.sig);
        let mattr = method_attrs.get(&m_str);
        let streaming = take_yielder(&mut ps, mattr.and_then(|a| a.num_returns), &out_ty)?;
        let pieces = call_pieces(&ps);
        let CallPieces {
            signature,
            packed,
            pattern,
            call_args,
            arg_tuple,
            asserts: arg_asserts,
            names,
            clone_args,
        } = &pieces;
        asserts.push(arg_asserts.clone());
        let (streamed, shape) = match streaming {
            Some((st, shape)) => (Some(st), shape),
            None => (
                None,
                return_shape(mattr.and_then(|a| a.num_returns), &out_ty)?,
            ),
        };
        let num_returns = if streamed.is_some() {
            0
        } else {
            mattr.and_then(|a| a.num_returns).unwrap_or(1)
        };
        let prelude = streamed.as_ref().map(Streamed::prelude);
        let call_args = with_yielder(call_args, streamed.as_ref(), ps.is_empty());
        let group = match mattr.and_then(|a| a.concurrency_group.as_ref()) {
            Some(g) => quote!(::std::option::Option::Some(#g)),
            None => quote!(::std::option::Option::None),
        };
        let ReturnShape {
            ret,
            refs,
            values: out_types,
        } = shape;
        for t in &out_types {
            asserts.push(
                quote_spanned!(t.span()=> ::rustyray::__private::assert_remote_result::<#t>();),
            );
        }
        let is_async = f.sig.asyncness.is_some();
        let recv = if *mutable {
            quote!(&'a mut #actor_ty)
        } else {
            quote!(&'a #actor_ty)
        };
        let body = if is_async {
            let value = wrap_result(fallible, quote!(this.#m(#call_args).await));
            let variant = if *mutable {
                quote!(AsyncMut)
            } else {
                quote!(AsyncRef)
            };
            quote! {
                fn __body<'a>(this: #recv, #pattern)
                    -> ::rustyray::__private::BoxFuture<'a, ::std::result::Result<#out_ty, ::rustyray::TaskCause>>
                {
                    ::std::boxed::Box::pin(async move { #prelude #value })
                }
                ::rustyray::__private::MethodBody::#variant(__body)
            }
        } else {
            let value = wrap_result(fallible, quote!(this.#m(#call_args)));
            let variant = if *mutable {
                quote!(SyncMut)
            } else {
                quote!(SyncRef)
            };
            quote! {
                fn __body<'a>(this: #recv, #pattern)
                    -> ::std::result::Result<#out_ty, ::rustyray::TaskCause>
                {
                    #prelude
                    #value
                }
                ::rustyray::__private::MethodBody::#variant(__body)
            }
        };
        // On a cluster backend: methods with one result whose parameters and result are
        // serde types (checked where the types are concrete); the worker side below.
        let m_types: Vec<&Type> = ps.iter().map(|p| &p.ty).collect();
        let encoded = encode_args(&quote!(__args), &m_types);
        let cluster_reason = if streamed.is_some() {
            Some("streaming generators run in-process only for now")
        } else if num_returns != 1 {
            Some("num_returns other than 1 runs in-process only for now")
        } else {
            None
        };
        let (cluster_call, cluster_worker, cluster_shared) = match cluster_reason {
            Some(reason) => (
                quote! {
                    let _ = (__handle, __remote, __args);
                    ::rustyray::__private::cluster_method_unsupported(#actor_str, #m_str, #reason)
                },
                quote! {
                    ::std::result::Result::Err(::std::string::String::from(#reason))
                },
                quote!(::std::option::Option::None),
            ),
            None => {
                let worker_body = if is_async {
                    let awaited = wrap_result(fallible, quote!(this.#m(#call_args).await));
                    quote!(::rustyray::__private::block_on_worker(async move { #awaited }))
                } else {
                    wrap_result(fallible, quote!(this.#m(#call_args)))
                };
                (
                    quote! {
                        #encoded
                        ::rustyray::__private::call_cluster_actor(
                            __handle, __remote, #m_str, __encoded,
                            (&::rustyray::__private::SerdeProbe::<#out_ty>::new()).decoder(),
                        )
                    },
                    quote! {
                        #[allow(unused_imports)]
                        use ::rustyray::__private::{ActorViaNoSerde as _, ActorViaSerde as _};
                        let __body: fn(&mut #actor_ty, (#(#m_types,)*)) -> ::std::result::Result<#out_ty, ::rustyray::TaskCause> =
                            |this, #pattern| { #worker_body };
                        (&::rustyray::__private::ActorProbe::<#actor_ty, (#(#m_types,)*), #out_ty>::new())
                            .method(__body)
                    },
                    // A `&self` method of a `Sync` type shares the state with other such
                    // calls when the actor runs calls at once (max_concurrency above 1).
                    if *mutable {
                        quote!(::std::option::Option::None)
                    } else {
                        quote! {
                            #[allow(unused_imports)]
                            use ::rustyray::__private::{SharedViaNotSync as _, SharedViaSync as _};
                            let __body: fn(&#actor_ty, (#(#m_types,)*)) -> ::std::result::Result<#out_ty, ::rustyray::TaskCause> =
                                |this, #pattern| { #worker_body };
                            (&::rustyray::__private::ActorProbe::<#actor_ty, (#(#m_types,)*), #out_ty>::new())
                                .shared_method(__body)
                        }
                    },
                )
            }
        };
        let doc = format!("Calls [`{actor_str}::{m_str}`] on the actor.");
        handle_methods.push(quote! {
            #[doc = #doc]
            #[allow(clippy::too_many_arguments, clippy::needless_lifetimes)]
            pub fn #m(&self, #signature) -> ::rustyray::Submitted<#refs> {
                if let ::std::option::Option::Some(__remote) = self.0.__cluster() {
                    // Out of line: the in-process call below stays as small as before.
                    #[cold]
                    #[inline(never)]
                    #[allow(clippy::all)]
                    fn __on_cluster(
                        __handle: &::rustyray::ActorHandle<#actor_ty>,
                        __remote: &::std::sync::Arc<dyn ::rustyray::backend::RemoteActor>,
                        __args: #arg_tuple,
                    ) -> ::rustyray::Submitted<#refs> {
                        #cluster_call
                    }
                    return __on_cluster(&self.0, __remote, #packed);
                }
                let __body = { #body };
                ::rustyray::__private::call_actor::<_, _, #ret>(&self.0, #m_str, #packed, __body, #clone_args, #group)
            }
        });
        registrations.push(quote! {
            ::rustyray::__private::inventory::submit! {
                ::rustyray::__private::ClusterMethodEntry {
                    type_id: ::std::any::TypeId::of::<#actor_ty>,
                    name: #m_str,
                    call: {
                        #[allow(clippy::all)]
                        fn __cluster_method() -> ::std::result::Result<
                            ::rustyray::__private::WorkerMethodCall,
                            ::std::string::String,
                        > {
                            #cluster_worker
                        }
                        __cluster_method
                    },
                    shared: {
                        #[allow(clippy::all)]
                        fn __cluster_shared() -> ::std::option::Option<
                            ::rustyray::__private::WorkerSharedCall,
                        > {
                            #cluster_shared
                        }
                        __cluster_shared
                    },
                }
            }
        });
        registrations.push(quote! {
            ::rustyray::__private::inventory::submit! {
                ::rustyray::__private::ActorMethodEntry(&::rustyray::__private::ActorMethodSpec {
                    name: #m_str,
                    actor: #actor_str,
                    actor_type: ::std::any::TypeId::of::<#actor_ty>,
                    is_async: #is_async,
                    mutable: #mutable,
                    params: &[#(#names),*],
                    num_returns: #num_returns,
                })
            }
        });
    }

    Ok(quote! {
        #item

        #[allow(clippy::all)]
        const _: () = {
            #(#asserts)*
        };

        impl #actor_ty {
            /// Creates the actor on the current runtime (Ray's `Actor.remote(..)`); the
            /// constructor runs on the actor's mailbox before its first call.
            #[allow(clippy::too_many_arguments)]
            pub fn remote(#ctor_sig) -> ::rustyray::Submitted<#handle> {
                Self::options().remote(#(#ctor_names),*)
            }

            /// Creates the actor on `rt`.
            #[allow(clippy::too_many_arguments)]
            pub fn remote_on(__rustyray_rt: &::rustyray::Runtime, #ctor_sig) -> ::rustyray::Submitted<#handle> {
                Self::options().runtime(__rustyray_rt).remote(#(#ctor_names),*)
            }
        }

        impl #options_ty {
            /// Creates the actor with these options.
            #[allow(clippy::too_many_arguments)]
            pub fn remote(self, #ctor_sig) -> ::rustyray::Submitted<#handle> {
                #[allow(unused_imports)]
                use ::rustyray::__private::{ViaNotSync as _, ViaSync as _};
                let __concurrent = (&::rustyray::__private::SyncProbe::<#actor_ty>::new()).concurrent_runner();
                if ::rustyray::__private::cluster_active() {
                    if let ::std::option::Option::Some(__c) =
                        ::rustyray::__private::cluster_runtime(self.runtime.as_ref())
                    {
                        #ctor_encoded
                        return ::rustyray::__private::create_cluster_actor::<#actor_ty>(
                            __c, &self.options, __encoded, __concurrent.is_some(),
                        )
                        .map(#handle);
                    }
                }
                ::rustyray::__private::create_actor::<#actor_ty, _>(
                    self.runtime.as_ref(),
                    ::std::option::Option::Some(&self.options),
                    #ctor_packed,
                    #constructor,
                    #ctor_clone,
                    __concurrent,
                )
                .map(#handle)
            }
        }

        impl #handle {
            /// A copy of this handle whose calls run in the concurrency group `group`
            /// instead of their method's (Ray's `.options(concurrency_group=..)`).
            pub fn in_concurrency_group(&self, group: &str) -> Self {
                #handle(self.0.in_concurrency_group(group))
            }

            #(#handle_methods)*
        }

        #(#registrations)*

        ::rustyray::__private::inventory::submit! {
            ::rustyray::__private::ClusterActorEntry {
                type_id: ::std::any::TypeId::of::<#actor_ty>,
                new: {
                    #[allow(clippy::all)]
                    fn __cluster_new() -> ::std::result::Result<
                        ::rustyray::__private::WorkerActorNew,
                        ::std::string::String,
                    > {
                        #[allow(unused_imports)]
                        use ::rustyray::__private::{ActorViaNoSerde as _, ActorViaSerde as _};
                        let __body: fn((#(#ctor_types,)*)) -> ::std::result::Result<#actor_ty, ::rustyray::TaskCause> =
                            |#ctor_pattern| { #ctor_worker_body };
                        (&::rustyray::__private::ActorProbe::<#actor_ty, (#(#ctor_types,)*), ()>::new())
                            .actor_new(__body)
                    }
                    __cluster_new
                },
            }
        }
    })
}

fn expand_main(opts: MainAttr, func: ItemFn) -> syn::Result<TokenStream2> {
    if func.sig.asyncness.is_none() {
        return Err(syn::Error::new(
            func.sig.fn_token.span(),
            "#[rustyray::main] needs an `async fn`",
        ));
    }
    if !func.sig.inputs.is_empty() {
        return Err(syn::Error::new(
            func.sig.inputs.span(),
            "#[rustyray::main] functions take no arguments",
        ));
    }
    let attrs = &func.attrs;
    let vis = &func.vis;
    let name = &func.sig.ident;
    let output = &func.sig.output;
    let body = &func.block;
    let calls = &opts.calls;
    Ok(quote! {
        #(#attrs)*
        #vis fn #name() #output {
            async fn __rustyray_main() #output #body
            ::rustyray::__private::run_main(
                ::rustyray::Runtime::builder() #(#calls)*,
                __rustyray_main(),
            )
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn remote_error(attr: TokenStream2, item: TokenStream2) -> String {
        let opts = match TaskAttr::parse(attr) {
            Ok(o) => o,
            Err(e) => return e.to_string(),
        };
        let func: ItemFn = syn::parse2(item).expect("fn");
        expand_remote(opts, func)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    }

    #[test]
    fn task_options_are_parsed() {
        let o = TaskAttr::parse(quote!(
            num_cpus = 2,
            num_gpus = 0.5,
            max_retries = 1,
            retry_exceptions = true,
            resources(disk = 3)
        ))
        .expect("options");
        assert_eq!(o.num_cpus, Some(2.0));
        assert_eq!(o.num_gpus, Some(0.5));
        assert_eq!(o.max_retries, Some(1));
        assert!(matches!(o.retry_exceptions, Some(RetryAttr::Bool(true))));
        let listed = TaskAttr::parse(quote!(
            retry_exceptions = [std::io::Error, Boom],
            num_returns = 2
        ))
        .expect("list");
        assert!(matches!(&listed.retry_exceptions, Some(RetryAttr::Types(t)) if t.len() == 2));
        assert_eq!(listed.num_returns, Some(2));
        assert!(TaskAttr::parse(quote!(retry_exceptions = [])).is_err());
        assert!(TaskAttr::parse(quote!(retry_exceptions = ["x"])).is_err());
        assert!(TaskAttr::parse(quote!(num_returns = 0)).is_err());
        assert_eq!(o.resources, vec![("disk".to_owned(), 3.0)]);
        assert!(TaskAttr::parse(quote!(num_cpu = 2)).is_err());
        assert!(TaskAttr::parse(quote!(max_retries = 1.5)).is_err());
        assert!(TaskAttr::parse(quote!(retry_exceptions = 1)).is_err());
    }

    #[test]
    fn actor_and_main_options_are_parsed() {
        let a = ActorAttr::parse(quote!(max_restarts = 2, max_concurrency = 4, num_cpus = 1))
            .expect("actor");
        assert_eq!(
            (a.max_restarts, a.max_concurrency, a.num_cpus),
            (Some(2), Some(4), Some(1.0))
        );
        assert!(ActorAttr::parse(quote!(max_retries = 2)).is_err());
        let r = ActorAttr::parse(quote!(max_task_retries = -1)).expect("unbounded");
        assert_eq!(r.max_task_retries, Some(-1));
        assert!(ActorAttr::parse(quote!(max_task_retries = -2)).is_err());
        let g = ActorAttr::parse(quote!(concurrency_groups(io = 2, compute = 4))).expect("groups");
        assert_eq!(
            g.concurrency_groups,
            vec![("io".to_owned(), 2), ("compute".to_owned(), 4)]
        );
        assert!(ActorAttr::parse(quote!(concurrency_groups(io = 0))).is_err());
        assert!(ActorAttr::parse(quote!(concurrency_groups(io = 1, io = 2))).is_err());
        let m = MainAttr::parse(quote!(num_cpus = 4, worker_threads = 2, namespace = "ns"))
            .expect("main");
        assert_eq!(m.calls.len(), 3);
        assert!(MainAttr::parse(quote!(namespace = 1)).is_err());
        assert!(MainAttr::parse(quote!(name = 1)).is_err());
    }

    #[test]
    fn invalid_remote_functions_are_rejected() {
        assert!(remote_error(
            quote!(),
            quote!(
                fn f(&self) {}
            )
        )
        .contains("cannot be used on a method"));
        assert!(remote_error(
            quote!(),
            quote!(
                fn f<T>(x: T) {}
            )
        )
        .contains("cannot be generic"));
        assert!(remote_error(
            quote!(),
            quote!(
                fn f(x: impl Send) {}
            )
        )
        .contains("owned `'static` types"));
        assert!(remote_error(
            quote!(),
            quote!(
                fn f(x: &str) {}
            )
        )
        .contains("owned `'static` types"));
        assert!(remote_error(
            quote!(),
            quote!(
                fn f(x: &'static str) {}
            )
        )
        .is_empty());
        assert!(remote_error(
            quote!(),
            quote!(
                async fn f(x: i32) -> i32 {
                    x
                }
            )
        )
        .is_empty());
    }

    #[test]
    fn results_are_recognised() {
        let sig: Signature = syn::parse2(quote!(fn f() -> Result<u8, E>)).expect("sig");
        let (ty, fallible) = output(&sig);
        assert!(fallible);
        assert_eq!(quote!(#ty).to_string(), "u8");
        let sig: Signature = syn::parse2(quote!(fn f() -> std::io::Result<Vec<u8>>)).expect("sig");
        assert!(output(&sig).1);
        let sig: Signature = syn::parse2(quote!(fn f())).expect("sig");
        assert!(!output(&sig).1);
    }

    #[test]
    fn actor_methods_need_an_inherent_impl_with_new() {
        let trait_impl: ItemImpl =
            syn::parse2(quote!(impl Clone for C { fn clone(&self) -> Self { C } })).expect("impl");
        let err = expand_actor_methods(trait_impl)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("not on a trait impl"), "{err}");
        let no_new: ItemImpl =
            syn::parse2(quote!(impl C { pub fn get(&self) -> i32 { 1 } })).expect("impl");
        let err = expand_actor_methods(no_new)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("constructor"), "{err}");
        let by_value: ItemImpl =
            syn::parse2(quote!(impl C { fn new() -> Self { C } pub fn eat(self) {} }))
                .expect("impl");
        let err = expand_actor_methods(by_value)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("&self"), "{err}");
    }
}
