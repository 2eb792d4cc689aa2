-- Who may change customers besides admins.
INSERT INTO sysconfig_default (name, description, navigation, effective_value, create_time, create_by, change_time, change_by)
VALUES ('Customer::ManagementGroup', 'Agents with rw in this group may create and change customer companies and customer users.',
        'Customer', '"users"', CURRENT_TIMESTAMP, 1, CURRENT_TIMESTAMP, 1);
