package io.goatflow.rest;

/**
 * The paging of a list request: {@code page} (from 1) and {@code per_page} (capped at
 * {@value RestApi#MAX_PER_PAGE}), with the original's aliases {@code limit} for per_page and {@code offset} turned
 * into the page that contains it. Malformed values are a 400, never a silent default.
 */
public record PageRequest(int page, int perPage) {
    /** Keeps (page - 1) * per_page far from overflowing. */
    public static final int MAX_PAGE = 1_000_000;

    public static PageRequest of(String page, String perPage, String limit, String offset, int defaultPerPage) {
        int size = number("per_page", perPage != null ? perPage : limit, defaultPerPage, RestApi.MAX_PER_PAGE);
        int number;
        if (offset != null && !offset.isBlank() && (page == null || page.isBlank())) {
            int skip = number("offset", offset, 0, Integer.MAX_VALUE - 1);
            number = skip / size + 1;
        } else {
            number = number("page", page, 1, MAX_PAGE);
        }
        if (number < 1 || number > MAX_PAGE) {
            throw ApiException.validation("page must be a whole number from 1 to " + MAX_PAGE);
        }
        return new PageRequest(number, size);
    }

    public static PageRequest of(String page, String perPage, int defaultPerPage) {
        return of(page, perPage, null, null, defaultPerPage);
    }

    /** Rows to skip. */
    public long offset() {
        return (long) (page - 1) * perPage;
    }

    /** The pagination block of the envelope for this page. */
    public Pagination pagination(long total) {
        return Pagination.of(page, perPage, total);
    }

    private static int number(String field, String value, int fallback, int cap) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        int parsed;
        try {
            parsed = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw ApiException.validation(field + " must be a whole number");
        }
        boolean offset = field.equals("offset");
        if (parsed < (offset ? 0 : 1)) {
            throw ApiException.validation(field + " must be " + (offset ? "0 or more" : "1 or more"));
        }
        return Math.min(parsed, cap);
    }
}
