-- Settings of the ticket area (sysconfig defaults; admins override them in sysconfig_modified).
INSERT INTO sysconfig_default (name, description, navigation, effective_value, create_time, create_by, change_time, change_by)
VALUES ('SystemID', 'Identifies this installation; the digits go into every ticket number.', 'Core', '"10"',
        CURRENT_TIMESTAMP, 1, CURRENT_TIMESTAMP, 1);
INSERT INTO sysconfig_default (name, description, navigation, effective_value, create_time, create_by, change_time, change_by)
VALUES ('Ticket::Attachment::MaxBytes', 'Largest attachment accepted, in bytes.', 'Ticket::Attachment', '10485760',
        CURRENT_TIMESTAMP, 1, CURRENT_TIMESTAMP, 1);
INSERT INTO sysconfig_default (name, description, navigation, effective_value, create_time, create_by, change_time, change_by)
VALUES ('Ticket::Attachment::TicketQuotaBytes', 'Total size of the attachments of one ticket, in bytes.', 'Ticket::Attachment', '104857600',
        CURRENT_TIMESTAMP, 1, CURRENT_TIMESTAMP, 1);
INSERT INTO sysconfig_default (name, description, navigation, effective_value, create_time, create_by, change_time, change_by)
VALUES ('Ticket::Attachment::BlockedExtensions', 'File extensions refused as attachments, comma-separated.', 'Ticket::Attachment',
        '"exe,com,bat,cmd,ps1,psm1,vbs,vbe,js,jse,wsf,wsh,msi,msp,scr,pif,cpl,hta,jar,dll,lnk,reg,sh,bash,zsh,app,apk,deb,rpm,iso,img"',
        CURRENT_TIMESTAMP, 1, CURRENT_TIMESTAMP, 1);
INSERT INTO sysconfig_default (name, description, navigation, effective_value, create_time, create_by, change_time, change_by)
VALUES ('CustomerPortal::CompanyTickets', 'Customers also see the tickets of their company.', 'CustomerPortal', 'false',
        CURRENT_TIMESTAMP, 1, CURRENT_TIMESTAMP, 1);
INSERT INTO sysconfig_default (name, description, navigation, effective_value, create_time, create_by, change_time, change_by)
VALUES ('CustomerPortal::DefaultQueue', 'Queue of tickets that customers open.', 'CustomerPortal', '"Postmaster"',
        CURRENT_TIMESTAMP, 1, CURRENT_TIMESTAMP, 1);
