// Typed error sets: a function declares exactly which errors it can return
// (StatusSet<Errs...>) or a value or one of those errors
// (StatusSetOr<T, Errs...>), and callers handle them with std::visit and
// `overloaded{...}`. Independent of Status so any Status implementation can
// include it.

#pragma once

#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

#include "ray/util/logging.h"

namespace ray {

// Builds one callable out of several lambdas, for std::visit.
template <typename... Fs>
struct overloaded : Fs... {
  using Fs::operator()...;
};
template <typename... Fs>
overloaded(Fs...) -> overloaded<Fs...>;

namespace StatusT {

#define RAY_DEFINE_STATUS_T(Name)                                         \
  class Name {                                                            \
   public:                                                                \
    Name() = default;                                                     \
    explicit Name(std::string message) : message_(std::move(message)) {}  \
    const std::string &message() const { return message_; }              \
    std::string &message() { return message_; }                          \
    std::string ToString() const {                                        \
      return "StatusT: " #Name ", Message: " + message_;                  \
    }                                                                     \
                                                                          \
   private:                                                               \
    std::string message_;                                                 \
  };

RAY_DEFINE_STATUS_T(OK)
RAY_DEFINE_STATUS_T(OutOfMemory)
RAY_DEFINE_STATUS_T(KeyError)
RAY_DEFINE_STATUS_T(IOError)
RAY_DEFINE_STATUS_T(Invalid)
RAY_DEFINE_STATUS_T(NotFound)
RAY_DEFINE_STATUS_T(PermissionDenied)
RAY_DEFINE_STATUS_T(InvalidArgument)
RAY_DEFINE_STATUS_T(AlreadyExists)

#undef RAY_DEFINE_STATUS_T

}  // namespace StatusT

namespace status_set_internal {

template <typename E, typename... Errs>
inline constexpr bool kIsOneOf = (std::is_same_v<E, Errs> || ...);

}  // namespace status_set_internal

// Either OK or exactly one of the error types Errs.
template <typename... Errs>
class StatusSet {
  static_assert(sizeof...(Errs) > 0, "StatusSet needs at least one error type");
  static_assert(!status_set_internal::kIsOneOf<StatusT::OK, Errs...>,
                "StatusT::OK is not an error type");

 public:
  using ErrorVariant = std::variant<Errs...>;

  StatusSet() = default;
  StatusSet(StatusT::OK) {}  // NOLINT: implicit by design.

  template <typename E,
            typename = std::enable_if_t<
                status_set_internal::kIsOneOf<std::decay_t<E>, Errs...>>>
  StatusSet(E &&error)  // NOLINT: implicit by design.
      : error_(std::in_place, std::forward<E>(error)) {}

  bool ok() const { return !error_.has_value(); }
  bool has_error() const { return error_.has_value(); }

  // Only valid when has_error().
  const ErrorVariant &error() const & {
    RAY_CHECK(has_error()) << "StatusSet holds no error";
    return *error_;
  }
  ErrorVariant &error() & {
    RAY_CHECK(has_error()) << "StatusSet holds no error";
    return *error_;
  }
  ErrorVariant &&error() && {
    RAY_CHECK(has_error()) << "StatusSet holds no error";
    return std::move(*error_);
  }

 private:
  std::optional<ErrorVariant> error_;
};

// Either a T or exactly one of the error types Errs.
template <typename T, typename... Errs>
class StatusSetOr {
  static_assert(sizeof...(Errs) > 0, "StatusSetOr needs at least one error type");
  static_assert(!status_set_internal::kIsOneOf<T, Errs...>,
                "the value type must differ from the error types");

 public:
  using ErrorVariant = std::variant<Errs...>;

  template <typename E,
            std::enable_if_t<status_set_internal::kIsOneOf<std::decay_t<E>, Errs...>,
                             int> = 0>
  StatusSetOr(E &&error)  // NOLINT: implicit by design.
      : storage_(std::in_place_index<1>, ErrorVariant(std::forward<E>(error))) {}

  template <typename U = T,
            std::enable_if_t<!status_set_internal::kIsOneOf<std::decay_t<U>, Errs...> &&
                                 !std::is_same_v<std::decay_t<U>, StatusSetOr> &&
                                 std::is_constructible_v<T, U &&>,
                             int> = 0>
  StatusSetOr(U &&value)  // NOLINT: implicit by design.
      : storage_(std::in_place_index<0>, std::forward<U>(value)) {}

  bool has_value() const { return storage_.index() == 0; }
  bool has_error() const { return storage_.index() == 1; }

  // Only valid when has_value().
  const T &value() const & {
    RAY_CHECK(has_value()) << "StatusSetOr holds an error";
    return std::get<0>(storage_);
  }
  T &value() & {
    RAY_CHECK(has_value()) << "StatusSetOr holds an error";
    return std::get<0>(storage_);
  }
  T &&value() && {
    RAY_CHECK(has_value()) << "StatusSetOr holds an error";
    return std::get<0>(std::move(storage_));
  }

  // Only valid when has_error().
  const ErrorVariant &error() const & {
    RAY_CHECK(has_error()) << "StatusSetOr holds a value";
    return std::get<1>(storage_);
  }
  ErrorVariant &error() & {
    RAY_CHECK(has_error()) << "StatusSetOr holds a value";
    return std::get<1>(storage_);
  }
  ErrorVariant &&error() && {
    RAY_CHECK(has_error()) << "StatusSetOr holds a value";
    return std::get<1>(std::move(storage_));
  }

 private:
  std::variant<T, ErrorVariant> storage_;
};

}  // namespace ray
