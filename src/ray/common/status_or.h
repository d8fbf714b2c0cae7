// StatusOr<T>: either a value of type T or a non-OK Status.
//
// Written only against Status's public interface so that it works unchanged
// with any implementation of ray/common/status.h.

#pragma once

#include <functional>
#include <new>
#include <string>
#include <type_traits>
#include <utility>

#include "absl/base/attributes.h"
#include "ray/common/status.h"
#include "ray/util/logging.h"

namespace ray {

template <typename T>
class StatusOr;

namespace status_or_internal {

template <typename U>
struct IsStatusOr : std::false_type {};
template <typename U>
struct IsStatusOr<StatusOr<U>> : std::true_type {};

}  // namespace status_or_internal

// GCC cannot prove that a StatusOr holding an error never reads `data_`, and
// reports false -Wmaybe-uninitialized warnings in callers' optimised builds.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

template <typename T>
class StatusOr {
  static_assert(!std::is_reference_v<T>, "StatusOr<T&> is not supported");
  static_assert(!std::is_same_v<std::remove_cv_t<T>, Status>,
                "StatusOr<Status> is not supported");

  template <typename U>
  friend class StatusOr;

 public:
  using value_type = T;

  // Reports OK, as Ray's does. Ray's holds no value there (reading it, and
  // its destructor, touch a T that was never constructed); this one holds a
  // value-initialised T, so every use is defined. Only for default-
  // constructible T, which Ray requires of every StatusOr.
  template <typename U = T, std::enable_if_t<std::is_default_constructible_v<U>, int> = 0>
  StatusOr() noexcept(std::is_nothrow_default_constructible_v<U>) {
    new (&data_) T();
  }

  // `status` must not be OK: an OK StatusOr needs a value.
  StatusOr(const Status &status)  // NOLINT: implicit by design.
      : status_(status) {
    CheckNotOk();
  }
  StatusOr(Status &&status)  // NOLINT: implicit by design.
      : status_(std::move(status)) {
    CheckNotOk();
  }

  // From a value, or from anything a T can be implicitly constructed from.
  template <typename U = T,
            std::enable_if_t<std::is_constructible_v<T, U &&> &&
                                 std::is_convertible_v<U &&, T> &&
                                 !std::is_same_v<std::decay_t<U>, Status> &&
                                 !std::is_same_v<std::decay_t<U>, std::in_place_t> &&
                                 !status_or_internal::IsStatusOr<std::decay_t<U>>::value,
                             int> = 0>
  StatusOr(U &&value)  // NOLINT: implicit by design.
  {
    new (&data_) T(std::forward<U>(value));
  }
  template <typename U,
            std::enable_if_t<std::is_constructible_v<T, U &&> &&
                                 !std::is_convertible_v<U &&, T> &&
                                 !std::is_same_v<std::decay_t<U>, Status> &&
                                 !std::is_same_v<std::decay_t<U>, std::in_place_t> &&
                                 !status_or_internal::IsStatusOr<std::decay_t<U>>::value,
                             int> = 0>
  explicit StatusOr(U &&value) {
    new (&data_) T(std::forward<U>(value));
  }

  // Constructs the value in place from `args`.
  template <typename... Args>
  explicit StatusOr(std::in_place_t, Args &&...args) {
    new (&data_) T(std::forward<Args>(args)...);
  }

  // Converting constructors, e.g. StatusOr<unique_ptr<Derived>> to
  // StatusOr<unique_ptr<Base>>.
  template <typename U,
            std::enable_if_t<!std::is_same_v<T, U> &&
                                 std::is_constructible_v<T, const U &>,
                             int> = 0>
  StatusOr(const StatusOr<U> &other)  // NOLINT: implicit by design.
      : status_(other.status()) {
    if (other.ok()) {
      new (&data_) T(*other);
    }
  }
  template <typename U,
            std::enable_if_t<!std::is_same_v<T, U> && std::is_constructible_v<T, U &&>,
                             int> = 0>
  StatusOr(StatusOr<U> &&other)  // NOLINT: implicit by design.
      : status_(other.status()) {
    if (other.ok()) {
      new (&data_) T(std::move(*other));
    }
  }

  StatusOr(const StatusOr &other) : status_(other.status_) {
    if (other.ok()) {
      new (&data_) T(other.data_);
    }
  }

  // A moved-from StatusOr keeps its status; its value (if any) is moved-from.
  StatusOr(StatusOr &&other) noexcept(std::is_nothrow_move_constructible_v<T>)
      : status_(other.status_) {
    if (other.ok()) {
      new (&data_) T(std::move(other.data_));
    }
  }

  StatusOr &operator=(const StatusOr &other) {
    if (this == &other) {
      return *this;
    }
    if (other.ok()) {
      AssignValue(other.data_);
    } else {
      AssignStatus(other.status_);
    }
    return *this;
  }

  StatusOr &operator=(StatusOr &&other) noexcept(
      std::is_nothrow_move_constructible_v<T> &&std::is_nothrow_move_assignable_v<T>) {
    if (this == &other) {
      return *this;
    }
    if (other.ok()) {
      AssignValue(std::move(other.data_));
    } else {
      AssignStatus(other.status_);
    }
    return *this;
  }

  ~StatusOr() {
    if (ok()) {
      data_.~T();
    }
  }

  bool ok() const { return status_.ok(); }
  explicit operator bool() const { return ok(); }

  ABSL_MUST_USE_RESULT const Status &status() const & { return status_; }
  // Returns a copy: the held status must stay non-OK while there is no value.
  ABSL_MUST_USE_RESULT Status status() && { return status_; }

  ABSL_MUST_USE_RESULT StatusCode code() const { return status_.code(); }
  ABSL_MUST_USE_RESULT std::string message() const { return status_.message(); }
  std::string StatusString() const { return status_.StatusString(); }
  std::string ToString() const { return status_.ToString(); }

  bool IsNotFound() const { return status_.IsNotFound(); }
  bool IsInvalidArgument() const { return status_.IsInvalidArgument(); }
  bool IsInvalid() const { return status_.IsInvalid(); }
  bool IsPermissionDenied() const { return status_.IsPermissionDenied(); }

  // Fatal when not ok().
  T &value() & {
    CheckHasValue();
    return data_;
  }
  const T &value() const & {
    CheckHasValue();
    return data_;
  }
  T &&value() && {
    CheckHasValue();
    return std::move(data_);
  }
  const T &&value() const && {
    CheckHasValue();
    return std::move(data_);
  }

  T &operator*() & { return value(); }
  const T &operator*() const & { return value(); }
  T &&operator*() && { return std::move(*this).value(); }
  const T &&operator*() const && { return std::move(*this).value(); }

  T *operator->() { return &value(); }
  const T *operator->() const { return &value(); }

  template <typename U>
  T value_or(U &&default_value) const & {
    if (ok()) {
      return data_;
    }
    return static_cast<T>(std::forward<U>(default_value));
  }
  template <typename U>
  T value_or(U &&default_value) && {
    if (ok()) {
      return std::move(data_);
    }
    return static_cast<T>(std::forward<U>(default_value));
  }

  // The value, or a value-initialised T when not ok().
  T value_or_default() const & {
    if (ok()) {
      return data_;
    }
    return T{};
  }
  T value_or_default() && {
    if (ok()) {
      return std::move(data_);
    }
    return T{};
  }

  // If ok(), returns f(*this); otherwise the status, converted to f's result
  // type (which must therefore be a StatusOr). On a non-const lvalue, f may
  // take the StatusOr by non-const reference.
  template <typename F>
  auto and_then(F &&f) & {
    using R = std::decay_t<std::invoke_result_t<F, StatusOr &>>;
    if (!ok()) {
      return R(status_);
    }
    return R(std::invoke(std::forward<F>(f), *this));
  }
  template <typename F>
  auto and_then(F &&f) const & {
    using R = std::decay_t<std::invoke_result_t<F, const StatusOr &>>;
    if (!ok()) {
      return R(status_);
    }
    return R(std::invoke(std::forward<F>(f), *this));
  }
  template <typename F>
  auto and_then(F &&f) && {
    using R = std::decay_t<std::invoke_result_t<F, StatusOr &&>>;
    if (!ok()) {
      return R(status_);
    }
    return R(std::invoke(std::forward<F>(f), std::move(*this)));
  }

  // If ok(), returns the value; otherwise f(status()). The result type is f's:
  // a T, or a StatusOr<T> when f may itself fail. f always sees the status
  // as const; on a non-const lvalue the value is copied from a non-const T.
  template <typename F>
  auto or_else(F &&f) & {
    using R = std::decay_t<std::invoke_result_t<F, const Status &>>;
    if (ok()) {
      return R(data_);
    }
    return R(std::invoke(std::forward<F>(f), static_cast<const Status &>(status_)));
  }
  template <typename F>
  auto or_else(F &&f) const & {
    using R = std::decay_t<std::invoke_result_t<F, const Status &>>;
    if (ok()) {
      return R(data_);
    }
    return R(std::invoke(std::forward<F>(f), status_));
  }
  template <typename F>
  auto or_else(F &&f) && {
    using R = std::decay_t<std::invoke_result_t<F, const Status &>>;
    if (ok()) {
      return R(std::move(data_));
    }
    return R(std::invoke(std::forward<F>(f), status_));
  }

  void swap(StatusOr &other) {
    if (this == &other) {
      return;
    }
    StatusOr tmp(std::move(other));
    other = std::move(*this);
    *this = std::move(tmp);
  }

 private:
  void CheckNotOk() {
    RAY_CHECK(!status_.ok()) << "StatusOr cannot be constructed from an OK Status";
  }

  void CheckHasValue() const { RAY_CHECK(ok()) << status_.ToString(); }

  template <typename V>
  void AssignValue(V &&value) {
    if (ok()) {
      data_ = std::forward<V>(value);
    } else {
      new (&data_) T(std::forward<V>(value));
      status_ = Status::OK();
    }
  }

  void AssignStatus(const Status &status) {
    Status copy = status;
    if (ok()) {
      data_.~T();
    }
    status_ = std::move(copy);
  }

  Status status_;
  // Alive exactly when status_ is OK.
  union {
    T data_;
  };
};

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

// Equal when both hold equal values, or both hold errors with the same code.
template <typename T>
bool operator==(const StatusOr<T> &lhs, const StatusOr<T> &rhs) {
  if (lhs.ok() && rhs.ok()) {
    return *lhs == *rhs;
  }
  if (!lhs.ok() && !rhs.ok()) {
    return lhs.code() == rhs.code();
  }
  return false;
}

template <typename T>
bool operator!=(const StatusOr<T> &lhs, const StatusOr<T> &rhs) {
  return !(lhs == rhs);
}

template <typename T>
void swap(StatusOr<T> &lhs, StatusOr<T> &rhs) {
  lhs.swap(rhs);
}

}  // namespace ray

#define RAY_STATUS_OR_CONCAT_INNER(a, b) a##b
#define RAY_STATUS_OR_CONCAT(a, b) RAY_STATUS_OR_CONCAT_INNER(a, b)

#define RAY_ASSIGN_OR_RETURN_IMPL(status_or, var, expr) \
  auto status_or = (expr);                              \
  if (RAY_PREDICT_FALSE(!status_or.ok())) {             \
    return status_or.status();                          \
  }                                                     \
  var = std::move(status_or).value()

// Evaluates `expr` (a StatusOr); returns its status from the enclosing
// function on error, otherwise assigns the value to `var` (which may be a
// declaration such as `auto x`).
#define RAY_ASSIGN_OR_RETURN(var, expr) \
  RAY_ASSIGN_OR_RETURN_IMPL(RAY_STATUS_OR_CONCAT(_ray_status_or_, __LINE__), var, expr)

#define RAY_ASSIGN_OR_CHECK_IMPL(status_or, var, expr) \
  auto status_or = (expr);                             \
  RAY_CHECK_OK(status_or.status());                    \
  var = std::move(status_or).value()

// Like RAY_ASSIGN_OR_RETURN, but a failed status is fatal.
#define RAY_ASSIGN_OR_CHECK(var, expr) \
  RAY_ASSIGN_OR_CHECK_IMPL(RAY_STATUS_OR_CONCAT(_ray_status_or_, __LINE__), var, expr)
