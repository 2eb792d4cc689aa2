package io.goatflow.organisations.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goatflow.organisations.internal.Memberships.Membership;
import io.goatflow.organisations.internal.Memberships.Node;
import io.goatflow.rest.Caller;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MembershipsTest {
    // 1 ─┬─ 2 ── 4
    //    └─ 3 (suspended)      5 (archived)
    private static final List<Node> TREE = List.of(new Node(1, null, "active"), new Node(2, 1L, "active"),
            new Node(3, 1L, "suspended"), new Node(4, 2L, "active"), new Node(5, null, "archived"));

    private static Map<Long, String> status() {
        Map<Long, String> status = new HashMap<>();
        TREE.forEach(n -> status.put(n.id(), n.status()));
        return status;
    }

    private static long active(List<Membership> memberships, long requested) {
        return Memberships.active(Memberships.reachable(memberships, TREE), status(), requested);
    }

    @Test
    void noMembershipMeansNoOrganisation() {
        assertEquals(Caller.NO_ORG, active(List.of(), 0));
        assertEquals(Caller.NO_ORG, active(List.of(), 2));
    }

    @Test
    void requestedOrganisationWinsOnlyWhenReachableAndActive() {
        List<Membership> m = List.of(new Membership(2, "member", false), new Membership(4, "member", true));
        assertEquals(2, active(m, 2));
        assertEquals(4, active(m, 1), "not a member of 1: the default applies");
        assertEquals(4, active(m, 0));
    }

    @Test
    void suspendedAndArchivedOrganisationsAreNeverActive() {
        assertEquals(Caller.LOCKED_OUT, active(List.of(new Membership(3, "member", true),
                new Membership(5, "owner", false)), 3));
        assertEquals(2, active(List.of(new Membership(3, "member", true), new Membership(2, "member", false)), 3));
    }

    @Test
    void administratorsOfAParentReachItsDescendantsButMembersDoNot() {
        Map<Long, Memberships.Reach> admin = Memberships.reachable(List.of(new Membership(1, "admin", false)), TREE);
        assertEquals(List.of(1L, 2L, 3L, 4L), List.copyOf(admin.keySet()));
        assertTrue(admin.get(4L).inherited());
        assertEquals(4, active(List.of(new Membership(1, "admin", false)), 4));
        Map<Long, Memberships.Reach> member = Memberships.reachable(List.of(new Membership(1, "member", false)), TREE);
        assertEquals(List.of(1L), List.copyOf(member.keySet()));
        assertEquals(1, active(List.of(new Membership(1, "member", false)), 4));
    }

    @Test
    void directMembershipIsPreferredOverInheritedWithoutDefault() {
        // the lowest direct membership, before any inherited one
        assertEquals(2, active(List.of(new Membership(2, "owner", false), new Membership(4, "member", false)), 0));
        assertEquals(4, active(List.of(new Membership(2, "owner", false), new Membership(4, "member", true)), 0));
        assertEquals(2, active(List.of(new Membership(5, "admin", false), new Membership(2, "member", false)), 0));
        assertEquals(2, active(List.of(new Membership(2, "owner", false)), 0));
    }

    @Test
    void loopsAreFound() {
        Map<Long, Long> parents = Map.of(2L, 1L, 4L, 2L, 3L, 1L);
        assertTrue(Memberships.wouldLoop(1, 4L, parents));
        assertTrue(Memberships.wouldLoop(2, 2L, parents));
        assertFalse(Memberships.wouldLoop(3, 4L, parents));
        assertFalse(Memberships.wouldLoop(4, null, parents));
    }

    @Test
    void slugsAreSuggestedFromNames() {
        assertEquals("acme-europe-gmbh", OrganisationResource.slugOf("ACME Europe GmbH"));
        assertEquals("creme-brulee", OrganisationResource.slugOf("Crème  Brûlée!"));
        assertEquals("org", OrganisationResource.slugOf("!!!"));
    }
}
