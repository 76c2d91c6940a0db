// Result<T>: the value of an operation that can fail in an expected way (bad input, a network
// error), or an Error that says why. Programming and start-up errors throw instead. A part whose
// callers must tell failures apart (the Bot API client) passes its own error type as E.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace serversan {

struct Error {
	std::string message;
};

// Err("...") builds an Error that converts to any Result<T>.
inline Error Err(std::string message) {
	return Error{std::move(message)};
}

template <typename T, typename E = Error>
class [[nodiscard]] Result {
public:
	Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
	Result(E error) : v_(std::in_place_index<1>, std::move(error)) {}

	bool ok() const { return v_.index() == 0; }
	explicit operator bool() const { return ok(); }

	T& value() & {
		assert(ok());
		return std::get<0>(v_);
	}
	const T& value() const& {
		assert(ok());
		return std::get<0>(v_);
	}
	T&& value() && {
		assert(ok());
		return std::get<0>(std::move(v_));
	}
	T& operator*() & { return value(); }
	const T& operator*() const& { return value(); }
	T* operator->() { return &value(); }
	const T* operator->() const { return &value(); }

	const E& error() const {
		assert(!ok());
		return std::get<1>(v_);
	}

private:
	std::variant<T, E> v_;
};

template <>
class [[nodiscard]] Result<void> {
public:
	Result() = default;
	Result(Error error) : error_(std::move(error)), ok_(false) {}

	bool ok() const { return ok_; }
	explicit operator bool() const { return ok_; }
	const Error& error() const {
		assert(!ok_);
		return error_;
	}

private:
	Error error_;
	bool ok_ = true;
};

inline Result<void> Ok() {
	return {};
}

} // namespace serversan
