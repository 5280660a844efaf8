// Closed choices as typed enums with one table each (value, name, help), the way LibTorch's
// options use enumtype variants rather than strings: configs, the CLI, the Run dock and logs
// all read the names from that one table.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace moescope {

template <class E>
struct Choice {
  E value;
  const char* name;  // as written in configs, on the command line and in logs
  const char* help;  // one line for help texts and tooltips
};

// Specialised once per enum: static constexpr Choice<E> entries[] = {...};
template <class E>
struct Choices;

template <class E>
const char* name_of(E value) {
  for (const auto& c : Choices<E>::entries) {
    if (c.value == value) return c.name;
  }
  return "unknown";
}

template <class E>
std::optional<E> parse_choice(std::string_view name) {
  for (const auto& c : Choices<E>::entries) {
    if (name == c.name) return c.value;
  }
  return std::nullopt;
}

// "a, b or c" (or with another separator: "a|b|c").
template <class E>
std::string choice_list(const char* separator = ", ", const char* last = " or ") {
  std::string out;
  const auto n = std::size(Choices<E>::entries);
  for (size_t i = 0; i < n; ++i) {
    out += i == 0 ? "" : (i + 1 == n ? last : separator);
    out += Choices<E>::entries[i].name;
  }
  return out;
}

}  // namespace moescope
