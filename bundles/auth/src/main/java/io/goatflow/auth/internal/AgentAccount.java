package io.goatflow.auth.internal;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

/** An agent account as the OTRS {@code users} table holds it (the columns logging in needs). */
@Entity
@Table(name = "users")
public class AgentAccount {
    @Id
    private Long id;
    @Column(name = "login", nullable = false)
    private String login;
    @Column(name = "pw", nullable = false)
    private String passwordHash;
    @Column(name = "first_name", nullable = false)
    private String firstName;
    @Column(name = "last_name", nullable = false)
    private String lastName;
    @Column(name = "valid_id", nullable = false)
    private int validId;

    protected AgentAccount() {
        // for JPA
    }

    public Long getId() {
        return id;
    }

    public String getLogin() {
        return login;
    }

    public String getPasswordHash() {
        return passwordHash;
    }

    public String getFirstName() {
        return firstName;
    }

    public String getLastName() {
        return lastName;
    }

    public int getValidId() {
        return validId;
    }
}
