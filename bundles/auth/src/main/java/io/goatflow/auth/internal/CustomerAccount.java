package io.goatflow.auth.internal;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

/** A customer account as the OTRS {@code customer_user} table holds it (the columns logging in needs). */
@Entity
@Table(name = "customer_user")
public class CustomerAccount {
    @Id
    private Long id;
    @Column(name = "login", nullable = false)
    private String login;
    @Column(name = "pw")
    private String passwordHash;
    @Column(name = "customer_id", nullable = false)
    private String customerId;
    @Column(name = "email", nullable = false)
    private String email;
    @Column(name = "first_name", nullable = false)
    private String firstName;
    @Column(name = "last_name", nullable = false)
    private String lastName;
    @Column(name = "valid_id", nullable = false)
    private int validId;

    protected CustomerAccount() {
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

    public String getCustomerId() {
        return customerId;
    }

    public String getEmail() {
        return email;
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
