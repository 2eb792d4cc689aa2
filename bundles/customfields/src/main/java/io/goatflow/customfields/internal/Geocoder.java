package io.goatflow.customfields.internal;

import java.util.Optional;

/** Turns an address into a position; only present when an administrator configured a provider. */
interface Geocoder {
    Optional<Geo.Point> locate(String address);
}
